import { type BootstrapOptions, releaseWith, withDeps } from "../bootstrap";
import type { Env } from "../env";
import { consumeLookoutRuns } from "./lookout-runs.consumer";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE } from "./lookout-runs.messages";
import { consumeLookoutRunsDeadLetters } from "./lookout-runs-dlq.consumer";

/** Routes a batch to its queue's consumer. */
export function createQueueHandler(options: BootstrapOptions = {}) {
  return (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> =>
    withDeps(env, { queue: batch.queue }, { ...options, release: releaseWith(ctx) }, async (deps) => {
      const { log, db, config, mailer } = deps;
      switch (batch.queue) {
        case LOOKOUT_RUNS_QUEUE:
          return consumeLookoutRuns(batch, { log, db, config, mailer, models: deps.models });
        case LOOKOUT_RUNS_DLQ:
          return consumeLookoutRunsDeadLetters(batch, { log, db, config, mailer });
        default:
          log.error("queue.unknown", { size: batch.messages.length });
          batch.retryAll();
      }
    });
}
