import { createApp } from "./app";
import type { BootstrapOptions } from "./bootstrap";
import { createScheduledHandler } from "./cron";
import type { Env } from "./env";
import { createQueueHandler } from "./queues";

/** The Worker's entry points, all wired through the one bootstrap (the test worker passes its seams). */
export function createWorker(options: BootstrapOptions = {}) {
  return {
    fetch: createApp(options).fetch,
    queue: createQueueHandler(options),
    scheduled: createScheduledHandler(options),
  } satisfies ExportedHandler<Env, unknown>;
}
