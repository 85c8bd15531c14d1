import { type Queryable, withTransaction } from "../../db/client";
import { releaseTimedOutRuns, releaseUnclaimedRunning } from "../../db/queries/lookout-runs";
import { refundExtremeSearch } from "../usage/refund-extreme-search";
import { mailRunsEnded, type RunMailContext } from "./mail-run-ended";

export const TIMEOUT_ERROR = "The run did not finish in time";
const SWEEP_LIMIT = 500;

/**
 * Releases lookouts whose run has been `running` longer than the timeout: a `timeout` run is recorded,
 * the lookout returns to active (paused for `once`), and a counted extreme search is given back. Rows held
 * by another sweeper or a finishing consumer are skipped, so this is safe to run concurrently and again.
 * Owners are mailed once their release is committed.
 */
export async function sweepStuckLookouts({
  ctx,
}: {
  ctx: { db: Queryable; timeoutMinutes: number; now?: Date; mail: Omit<RunMailContext, "db"> };
}): Promise<{ timedOut: number; unclaimed: number }> {
  const now = ctx.now ?? new Date();
  const cutoff = new Date(now.getTime() - ctx.timeoutMinutes * 60_000);
  const timedOut = await withTransaction(ctx.db, async (tx) => {
    const released = await releaseTimedOutRuns(tx, { cutoff, now, limit: SWEEP_LIMIT, error: TIMEOUT_ERROR });
    for (const run of released) {
      if (run.searchReservedAt) {
        await refundExtremeSearch({
          ctx: { db: tx, now },
          input: { userId: run.userId, reservedAt: run.searchReservedAt },
        });
      }
    }
    return released.map((run) => run.lookoutId);
  });
  const mail = { ...ctx.mail, db: ctx.db };
  const timeouts = (ids: string[]) =>
    ids.map((lookoutId) => ({ lookoutId, status: "timeout" as const, error: TIMEOUT_ERROR }));
  await mailRunsEnded(mail, timeouts(timedOut));
  const unclaimed = await releaseUnclaimedRunning(ctx.db, { cutoff, limit: SWEEP_LIMIT, error: TIMEOUT_ERROR });
  await mailRunsEnded(mail, timeouts(unclaimed));
  return { timedOut: timedOut.length, unclaimed: unclaimed.length };
}
