import { createApp } from "./app";
import { handleScheduled } from "./cron";
import type { Env } from "./env";
import { handleQueue } from "./queues";

export { ChatStream } from "./durable-objects/chat-stream.do";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env, unknown>;
