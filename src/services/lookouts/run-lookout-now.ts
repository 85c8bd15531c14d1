import { type Queryable, withTransaction } from "../../db/client";
import { recordClaims, unclaim } from "../../db/queries/lookout-runs";
import { claimLookoutNow, findOwnedLookout } from "../../db/queries/lookouts";
import { countInWindow, uncountInWindow } from "../../db/queries/window-counters";
import type { Config } from "../../env";
import { AppError, notFound } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import type { LookoutRunMessage } from "../../queues/lookout-runs.messages";
import { findOwnedOrThrow } from "./get-lookout";
import { type LookoutView, toLookoutView } from "./lookout-view";
import { requireLookoutPlan } from "./require-pro";
import { archived, busy } from "./update-lookout";

const HOUR_MS = 60 * 60 * 1000;

export interface LookoutRunProducer {
  send(body: unknown): Promise<unknown>;
}

/**
 * Queues a run now, outside the schedule (which is left as it is); the lookout returns to the status it
 * had when the run ends. Claimed like a scheduled run, so it is counted, recorded and swept the same way.
 * Each user may start LOOKOUT_RUN_NOW_PER_HOUR runs this way per hour (429 past that): every run is a
 * full research agent, paid for by the operator.
 */
export async function runLookoutNow({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; userId: string; queue: LookoutRunProducer; log: Logger; now?: Date };
  input: { id: string };
}): Promise<{ lookout: LookoutView; runId: string }> {
  const now = ctx.now ?? new Date();
  if (!(await findOwnedLookout(ctx.db, { id: input.id, userId: ctx.userId }))) throw notFound("Lookout");
  await requireLookoutPlan({ ...ctx, now });
  const runId = crypto.randomUUID();
  const limitKey = `lookout-run-now:${ctx.userId}`;
  const claimed = await withTransaction(ctx.db, async (tx) => {
    // Counted with the claim, so a run-now refused for any other reason costs nothing of the hour's runs.
    const limit = ctx.config.LOOKOUT_RUN_NOW_PER_HOUR;
    const counted = await countInWindow(tx, { key: limitKey, limit, windowMs: HOUR_MS, now });
    if (!counted.allowed) {
      throw new AppError("RATE_LIMITED", `At most ${limit} runs can be started by hand per hour`, {
        details: { limit, resetAt: counted.resetAt.toISOString() },
        headers: {
          "Retry-After": String(Math.max(1, Math.ceil((counted.resetAt.getTime() - now.getTime()) / 1000))),
        },
      });
    }
    const claim = await claimLookoutNow(tx, { id: input.id, userId: ctx.userId, now });
    if (!claim) {
      const current = await findOwnedOrThrow(tx, { id: input.id, userId: ctx.userId });
      throw current.status === "running" ? busy() : archived();
    }
    await recordClaims(tx, {
      now,
      claims: [{ lookoutId: input.id, runId, scheduledFor: now, nextRunAt: null, resumeStatus: claim.previousStatus }],
    });
    return claim.lookout;
  });
  const body: LookoutRunMessage = { lookoutId: input.id, runId, scheduledFor: now.toISOString() };
  try {
    await ctx.queue.send(body);
  } catch (error) {
    ctx.log.error("lookout.run-now.send-failed", { lookoutId: input.id, error });
    await unclaim(ctx.db, { runIds: [runId], restoreNextRun: false });
    await uncountInWindow(ctx.db, limitKey);
    throw new AppError("SERVICE_UNAVAILABLE", "The run could not be queued; try again shortly", {
      retryable: true,
      cause: error,
    });
  }
  return { lookout: toLookoutView(claimed), runId };
}
