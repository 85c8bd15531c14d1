import { createDeps } from "../deps";
import type { Env } from "../env";
import { loadConfig } from "../env";
import { createLogger } from "../lib/log";
import { consumeLookoutRuns } from "./lookout-runs.consumer";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE } from "./lookout-runs.messages";
import { consumeLookoutRunsDeadLetters } from "./lookout-runs-dlq.consumer";

/** Routes a batch to its queue's consumer. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger({ queue: batch.queue }, config.LOG_LEVEL);
  const deps = createDeps(env, config, log);
  try {
    switch (batch.queue) {
      case LOOKOUT_RUNS_QUEUE:
        return await consumeLookoutRuns(batch, { log, db: deps.db, config, env, mailer: deps.mailer });
      case LOOKOUT_RUNS_DLQ:
        return await consumeLookoutRunsDeadLetters(batch, { log, db: deps.db, config, mailer: deps.mailer });
      default:
        log.error("queue.unknown", { size: batch.messages.length });
        batch.retryAll();
    }
  } finally {
    ctx.waitUntil(deps.dispose());
  }
}
