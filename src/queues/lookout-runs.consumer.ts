import type { Logger } from "../lib/log";
import { lookoutRunMessageSchema } from "./lookout-runs.messages";

export interface ConsumerContext {
  log: Logger;
}

/**
 * Consumes lookout runs. A message that does not parse can never succeed, so it is acknowledged and
 * logged rather than retried into the dead-letter queue.
 */
export async function consumeLookoutRuns(batch: MessageBatch<unknown>, { log }: ConsumerContext): Promise<void> {
  for (const message of batch.messages) {
    const parsed = lookoutRunMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log.warn("lookout-run.invalid-message", {
        messageId: message.id,
        issues: parsed.error.issues,
        body: JSON.stringify(message.body ?? null).slice(0, 200),
      });
      message.ack();
      continue;
    }
    log.info("lookout-run.received", { messageId: message.id, lookoutId: parsed.data.lookoutId });
    message.ack();
  }
}
