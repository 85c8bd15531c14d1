import type { Deps } from "../deps";

export interface CronJob {
  name: string;
  run(deps: Deps, scheduledTime: Date): Promise<Record<string, unknown> | undefined>;
}

export const EVERY_MINUTE = "* * * * *";
export const DAILY = "0 3 * * *";
