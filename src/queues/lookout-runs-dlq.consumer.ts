import type { Db } from "../db/client";
import type { Config } from "../env";
import type { Logger } from "../lib/log";
import { endLookoutRunWithError } from "../services/lookouts/end-lookout-run";
import { mailRunsEnded } from "../services/lookouts/mail-run-ended";
import type { Mailer } from "../services/mail/mailer";
import { lookoutRunMessageSchema } from "./lookout-runs.messages";

export const DEAD_LETTER_ERROR = "The run failed after several attempts";

/**
 * Runs that exhausted their retries land here: each is recorded as an `error` run and its lookout
 * released (the counted extreme search given back), unless the run is no longer current, and its owner
 * is mailed. A database failure retries the dead letter itself.
 */
export async function consumeLookoutRunsDeadLetters(
  batch: MessageBatch<unknown>,
  { log, db, config, mailer }: { log: Logger; db: Db; config: Config; mailer: Mailer },
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = lookoutRunMessageSchema.safeParse(message.body);
    log.error("lookout-run.dead-letter", {
      messageId: message.id,
      attempts: message.attempts,
      lookoutId: parsed.success ? parsed.data.lookoutId : undefined,
    });
    if (!parsed.success) {
      message.ack();
      continue;
    }
    let recorded: boolean;
    try {
      recorded = await endLookoutRunWithError({
        ctx: { db },
        input: { lookoutId: parsed.data.lookoutId, runId: parsed.data.runId, error: DEAD_LETTER_ERROR },
      });
      log.info("lookout-run.dead-letter.recorded", { messageId: message.id, recorded });
      message.ack();
    } catch (error) {
      log.error("lookout-run.dead-letter.failed", { messageId: message.id, error });
      message.retry({ delaySeconds: 60 });
      continue;
    }
    if (recorded) {
      await mailRunsEnded({ db, config, mailer, log }, [
        { lookoutId: parsed.data.lookoutId, status: "error", error: DEAD_LETTER_ERROR },
      ]);
    }
  }
}
