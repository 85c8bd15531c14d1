import { createDeps } from "../deps";
import type { Env } from "../env";
import { loadConfig } from "../env";
import { createLogger } from "../lib/log";
import { dailyMaintenanceJob } from "./daily-maintenance.job";
import { type CronJob, DAILY, EVERY_MINUTE } from "./jobs";
import { lookoutDispatchJob } from "./lookout-dispatch.job";
import { lookoutSweepJob } from "./lookout-sweep.job";

/** Which jobs each Cron Trigger (wrangler.toml `crons`) runs, in order. */
export const cronSchedule: Record<string, CronJob[]> = {
  [EVERY_MINUTE]: [lookoutDispatchJob, lookoutSweepJob],
  [DAILY]: [dailyMaintenanceJob],
};

export async function handleScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger({ cron: controller.cron }, config.LOG_LEVEL);
  const jobs = cronSchedule[controller.cron];
  if (!jobs) {
    log.warn("cron.unknown");
    return;
  }
  const deps = createDeps(env, config, log);
  try {
    for (const job of jobs) {
      const started = Date.now();
      try {
        const result = await job.run(deps, new Date(controller.scheduledTime));
        log.info("cron.job.done", { job: job.name, durationMs: Date.now() - started, ...result });
      } catch (error) {
        // One failing job must not stop the others; the next trigger retries it.
        log.error("cron.job.failed", { job: job.name, error });
      }
    }
  } finally {
    ctx.waitUntil(deps.dispose());
  }
}
