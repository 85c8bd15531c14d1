import { type Queryable, withTransaction } from "../../db/client";
import { finishRun } from "../../db/queries/lookout-runs";
import { refundExtremeSearch } from "../usage/refund-extreme-search";

/**
 * Records a run that produced no report (`error`) and releases the lookout, giving back the extreme
 * search if this run had counted one. Nothing happens when `runId` is no longer the lookout's claim.
 */
export async function endLookoutRunWithError({
  ctx,
  input,
}: {
  ctx: { db: Queryable; now?: Date };
  input: { lookoutId: string; runId: string; error: string; startedAt?: Date };
}): Promise<boolean> {
  const now = ctx.now ?? new Date();
  return withTransaction(ctx.db, async (tx) => {
    const ended = await finishRun(tx, {
      lookoutId: input.lookoutId,
      runId: input.runId,
      entry: {
        chatId: null,
        status: "error",
        error: input.error,
        duration: input.startedAt ? Math.max(0, now.getTime() - input.startedAt.getTime()) : 0,
        tokensUsed: 0,
        searchesPerformed: 0,
      },
    });
    if (!ended) return false;
    if (ended.searchReservedAt) {
      await refundExtremeSearch({
        ctx: { db: tx, now },
        input: { userId: ended.userId, reservedAt: ended.searchReservedAt },
      });
    }
    return true;
  });
}
