import type { Deps } from "../deps";

export interface CronJob {
  name: string;
  /** Builds its service's narrow context from the invocation's dependencies. */
  run(deps: Deps, scheduledTime: Date): Promise<Record<string, unknown> | undefined>;
}

export const EVERY_MINUTE = "* * * * *";
export const DAILY = "0 3 * * *";
