import { type Db, withTransaction } from "../../db/client";
import {
  type ClaimedLookout,
  claimDueLookouts,
  type NewClaim,
  recordClaims,
  unclaim,
} from "../../db/queries/lookout-runs";
import type { Logger } from "../../lib/log";
import { nextRunAt, recurringSchedule } from "../../lib/lookout-schedule";
import type { LookoutRunMessage } from "../../queues/lookout-runs.messages";

/** The queue producer binding, or anything that sends like it (tests count messages with a fake). */
export interface LookoutRunBatchProducer {
  sendBatch(messages: Iterable<MessageSendRequest<unknown>>): Promise<unknown>;
}

/** Queues accept at most 100 messages per sendBatch. */
export const CLAIM_BATCH_SIZE = 100;
const MAX_BATCHES_PER_RUN = 20;

/** The claim for one claimed lookout: its next occurrence after `now`, so missed ones collapse into one run. */
function toClaim(row: ClaimedLookout, now: Date): NewClaim {
  const runId = crypto.randomUUID();
  if (row.frequency === "once") {
    return { lookoutId: row.id, runId, scheduledFor: row.scheduledFor, nextRunAt: null, resumeStatus: "paused" };
  }
  const schedule = recurringSchedule(row);
  const next = schedule ? nextRunAt(schedule, row.timezone, now) : null;
  // A schedule that no longer parses runs this once and then waits, paused, for the owner to fix it.
  return {
    lookoutId: row.id,
    runId,
    scheduledFor: row.scheduledFor,
    nextRunAt: next,
    resumeStatus: next ? "active" : "paused",
  };
}

/**
 * Claims due lookouts batch by batch and queues one run each. Each batch is one transaction: the claim
 * (locking with SKIP LOCKED, so concurrent dispatchers take disjoint rows), the run ids and the advanced
 * `next_run_at`. Messages go out after the commit; if sending fails the batch is unclaimed and due again
 * next minute, and if even that fails the sweep releases it after the run timeout.
 */
export async function dispatchDueLookouts({
  ctx,
  input = {},
}: {
  ctx: { db: Db; queue: LookoutRunBatchProducer; log: Logger; now?: () => Date };
  input?: { batchSize?: number; maxBatches?: number };
}): Promise<{ claimed: number; sent: number; failed: number }> {
  const batchSize = input.batchSize ?? CLAIM_BATCH_SIZE;
  const maxBatches = input.maxBatches ?? MAX_BATCHES_PER_RUN;
  const clock = ctx.now ?? (() => new Date());
  const totals = { claimed: 0, sent: 0, failed: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const now = clock();
    const claims = await withTransaction(ctx.db, async (tx) => {
      const rows = await claimDueLookouts(tx, { now, limit: batchSize });
      const built = rows.map((row) => toClaim(row, now));
      await recordClaims(tx, { claims: built, now });
      return built;
    });
    totals.claimed += claims.length;
    if (claims.length === 0) break;
    const messages = claims.map((claim) => {
      const body: LookoutRunMessage = {
        lookoutId: claim.lookoutId,
        runId: claim.runId,
        scheduledFor: claim.scheduledFor.toISOString(),
      };
      return { body, contentType: "json" as const };
    });
    try {
      for (let start = 0; start < messages.length; start += CLAIM_BATCH_SIZE) {
        await ctx.queue.sendBatch(messages.slice(start, start + CLAIM_BATCH_SIZE));
      }
      totals.sent += messages.length;
    } catch (error) {
      totals.failed += messages.length;
      ctx.log.error("lookout-dispatch.send-failed", { count: messages.length, error });
      await unclaim(ctx.db, { runIds: claims.map((claim) => claim.runId), restoreNextRun: true }).catch(
        (unclaimError: unknown) => ctx.log.error("lookout-dispatch.unclaim-failed", { error: unclaimError }),
      );
      break;
    }
    if (claims.length < batchSize) break;
  }
  return totals;
}
