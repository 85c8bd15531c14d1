import { createApp } from "./app";
import type { BootstrapOptions } from "./bootstrap";
import { createScheduledHandler } from "./cron";
import type { Env } from "./env";
import { createQueueHandler } from "./queues";

export { ChatStream } from "./durable-objects/chat-stream.do";

/** The Worker's entry points, all wired through the one bootstrap (tests build theirs with their seams). */
export function createWorker(options: BootstrapOptions = {}) {
  return {
    fetch: createApp(options).fetch,
    queue: createQueueHandler(options),
    scheduled: createScheduledHandler(options),
  } satisfies ExportedHandler<Env, unknown>;
}

export default createWorker();
