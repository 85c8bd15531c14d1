import type { Config } from "../../env";
import type { Plan } from "../billing/plan";
import { dayPeriod, extremeSearchLimit, messageLimit, monthPeriod } from "./usage-periods";

export interface UsageCounterSummary {
  used: number;
  /** null = unlimited. */
  limit: number | null;
  /** ISO instant when the counter starts again at zero. */
  resetAt: string;
}

export interface UsageSummary {
  messages: UsageCounterSummary;
  extremeSearches: UsageCounterSummary;
}

/** The usage report from counted values: the limits of the plan and when each counter resets. */
export function summarizeUsage(input: {
  config: Config;
  plan: Pick<Plan, "tier">;
  now: Date;
  messages: number;
  extremeSearches: number;
}): UsageSummary {
  return {
    messages: {
      used: input.messages,
      limit: messageLimit(input.config, input.plan),
      resetAt: dayPeriod(input.now).resetAt.toISOString(),
    },
    extremeSearches: {
      used: input.extremeSearches,
      limit: extremeSearchLimit(input.config, input.plan),
      resetAt: monthPeriod(input.now).resetAt.toISOString(),
    },
  };
}
