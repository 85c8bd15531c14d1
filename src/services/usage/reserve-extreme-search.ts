import type { Queryable } from "../../db/client";
import type { Config } from "../../env";
import type { Plan } from "../billing/plan";
import { reserveUsage } from "./reserve-usage";
import { extremeSearchLimit, monthPeriod } from "./usage-periods";

/**
 * Counts one extreme search for this UTC month if the plan's monthly limit allows it, atomically.
 * Returns the new count; throws USAGE_LIMIT_EXCEEDED (429) with `{ limit, used, resetAt }` otherwise.
 */
export async function reserveExtremeSearch({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string; plan: Pick<Plan, "tier"> };
}): Promise<number> {
  const now = ctx.now ?? new Date();
  return reserveUsage(ctx.db, "extremeSearch", {
    userId: input.userId,
    period: monthPeriod(now),
    now,
    limit: extremeSearchLimit(ctx.config, input.plan),
  });
}
