import { type BootstrapOptions, releaseWith, withDeps } from "../bootstrap";
import type { Env } from "../env";
import { dailyMaintenanceJob } from "./daily-maintenance.job";
import { type CronJob, DAILY, EVERY_MINUTE } from "./jobs";
import { lookoutDispatchJob } from "./lookout-dispatch.job";
import { lookoutSweepJob } from "./lookout-sweep.job";

/** Which jobs each Cron Trigger (wrangler.toml `crons`) runs, in order. */
export const cronSchedule: Record<string, CronJob[]> = {
  [EVERY_MINUTE]: [lookoutDispatchJob, lookoutSweepJob],
  [DAILY]: [dailyMaintenanceJob],
};

export function createScheduledHandler(options: BootstrapOptions = {}) {
  return (controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> =>
    withDeps(env, { cron: controller.cron }, { ...options, release: releaseWith(ctx) }, async (deps) => {
      const jobs = cronSchedule[controller.cron];
      if (!jobs) {
        deps.log.warn("cron.unknown");
        return;
      }
      for (const job of jobs) {
        const started = Date.now();
        try {
          const result = await job.run(deps, new Date(controller.scheduledTime));
          deps.log.info("cron.job.done", { job: job.name, durationMs: Date.now() - started, ...result });
        } catch (error) {
          // One failing job must not stop the others; the next trigger retries it.
          deps.log.error("cron.job.failed", { job: job.name, error });
        }
      }
    });
}
