import type { Queryable } from "../../db/client";
import { decrementUsage } from "../../db/queries/usage";
import { dayPeriod } from "./usage-periods";

/**
 * Gives back one message counted by reserveMessage (a reply that failed before any output), never
 * below zero. `reservedAt` is when it was counted, so a refund after midnight returns it to the right day.
 * Returns the new count.
 */
export async function refundMessage({
  ctx,
  input,
}: {
  ctx: { db: Queryable; now?: Date };
  input: { userId: string; reservedAt?: Date };
}): Promise<number> {
  const at = input.reservedAt ?? ctx.now ?? new Date();
  return decrementUsage(ctx.db, "message", { userId: input.userId, date: dayPeriod(at).start });
}
