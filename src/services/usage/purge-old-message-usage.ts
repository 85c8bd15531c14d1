import type { Queryable } from "../../db/client";
import { deleteMessageUsageBefore } from "../../db/queries/usage";
import { dayPeriod } from "./usage-periods";

/**
 * Deletes message counters of previous UTC days (today's stays: it is still being counted).
 * Idempotent and safe to run concurrently. Returns how many rows were deleted.
 */
export async function purgeOldMessageUsage({ ctx }: { ctx: { db: Queryable; now?: Date } }): Promise<number> {
  return deleteMessageUsageBefore(ctx.db, dayPeriod(ctx.now ?? new Date()).start);
}
