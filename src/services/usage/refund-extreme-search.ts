import type { Queryable } from "../../db/client";
import { decrementUsage } from "../../db/queries/usage";
import { monthPeriod } from "./usage-periods";

/**
 * Gives back one extreme search counted by reserveExtremeSearch, never below zero, in the month it was
 * counted (`reservedAt`). Returns the new count.
 */
export async function refundExtremeSearch({
  ctx,
  input,
}: {
  ctx: { db: Queryable; now?: Date };
  input: { userId: string; reservedAt?: Date };
}): Promise<number> {
  const at = input.reservedAt ?? ctx.now ?? new Date();
  return decrementUsage(ctx.db, "extremeSearch", { userId: input.userId, date: monthPeriod(at).start });
}
