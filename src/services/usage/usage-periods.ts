import type { Config } from "../../env";
import type { Plan } from "../billing/plan";

export interface UsagePeriod {
  /** First instant of the period (UTC). */
  start: Date;
  /** First instant of the next period (UTC). */
  resetAt: Date;
}

/** The UTC day containing `now`: midnight to the next midnight. */
export function dayPeriod(now: Date): UsagePeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { start, resetAt };
}

/** The UTC month containing `now`: the first at 00:00 to the first of the next month. */
export function monthPeriod(now: Date): UsagePeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, resetAt };
}

export type LimitConfig = Pick<
  Config,
  "FREE_DAILY_MESSAGES" | "FREE_MONTHLY_EXTREME_SEARCHES" | "PRO_DAILY_MESSAGES" | "PRO_MONTHLY_EXTREME_SEARCHES"
>;

/** Daily message limit for a plan; null means unlimited (still counted). */
export function messageLimit(config: LimitConfig, plan: Pick<Plan, "tier">): number | null {
  return plan.tier === "pro" ? (config.PRO_DAILY_MESSAGES ?? null) : config.FREE_DAILY_MESSAGES;
}

/** Monthly extreme-search limit for a plan; null means unlimited (still counted). */
export function extremeSearchLimit(config: LimitConfig, plan: Pick<Plan, "tier">): number | null {
  return plan.tier === "pro" ? (config.PRO_MONTHLY_EXTREME_SEARCHES ?? null) : config.FREE_MONTHLY_EXTREME_SEARCHES;
}
