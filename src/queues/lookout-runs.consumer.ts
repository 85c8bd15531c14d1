import type { ModelRegistry } from "../ai/model-registry";
import type { Db } from "../db/client";
import type { Config } from "../env";
import type { Logger } from "../lib/log";
import { executeLookoutRun } from "../services/lookouts/execute-lookout-run";
import type { Mailer } from "../services/mail/mailer";
import { lookoutRunMessageSchema } from "./lookout-runs.messages";

export interface ConsumerContext {
  log: Logger;
  db: Db;
  config: Config;
  /** Tells owners how their runs ended. */
  mailer: Mailer;
  /** Each run uses the registry's default model. */
  models: ModelRegistry;
}

/** Seconds before the n-th retry: 30 s, 60 s, 120 s, … capped at 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 30 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Consumes lookout runs, the batch's messages side by side. A message that does not parse, names an
 * unknown lookout or a run that is no longer current can never succeed: it is acknowledged (and logged)
 * rather than retried into the dead-letter queue. A run that throws (provider or database trouble) is
 * retried with backoff; after the last retry the dead-letter consumer records it as failed.
 */
export async function consumeLookoutRuns(batch: MessageBatch<unknown>, context: ConsumerContext): Promise<void> {
  const { log } = context;
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = lookoutRunMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        log.warn("lookout-run.invalid-message", {
          messageId: message.id,
          issues: parsed.error.issues,
          body: JSON.stringify(message.body ?? null).slice(0, 200),
        });
        message.ack();
        return;
      }
      const { lookoutId, runId } = parsed.data;
      try {
        const outcome = await executeLookoutRun({
          ctx: {
            db: context.db,
            config: context.config,
            mailer: context.mailer,
            log: log.child({ messageId: message.id }),
            models: context.models,
          },
          input: { message: parsed.data, attempt: message.attempts },
        });
        log.info("lookout-run.done", { messageId: message.id, lookoutId, runId, outcome });
        message.ack();
      } catch (error) {
        const delaySeconds = retryDelaySeconds(message.attempts);
        log.warn("lookout-run.retry", {
          messageId: message.id,
          lookoutId,
          runId,
          attempts: message.attempts,
          delaySeconds,
          error,
        });
        message.retry({ delaySeconds });
      }
    }),
  );
}
