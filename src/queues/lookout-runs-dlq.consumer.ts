import type { Logger } from "../lib/log";
import { lookoutRunMessageSchema } from "./lookout-runs.messages";

/** Runs that exhausted their retries land here; each is logged and acknowledged. */
export async function consumeLookoutRunsDeadLetters(
  batch: MessageBatch<unknown>,
  { log }: { log: Logger },
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = lookoutRunMessageSchema.safeParse(message.body);
    log.error("lookout-run.dead-letter", {
      messageId: message.id,
      attempts: message.attempts,
      lookoutId: parsed.success ? parsed.data.lookoutId : undefined,
    });
    message.ack();
  }
}
