import { type Queryable, withTransaction } from "../../db/client";
import { deleteOwnedLookout } from "../../db/queries/lookouts";
import { notFound } from "../../lib/errors";
import { refundExtremeSearch } from "../usage/refund-extreme-search";

/**
 * Deletes the owner's lookout in any status. A run in flight finds its claim gone and records nothing,
 * so the extreme search it had counted is given back here, in the same transaction.
 */
export async function deleteLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { id: string };
}): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const deleted = await deleteOwnedLookout(tx, { id: input.id, userId: ctx.userId });
    if (!deleted) throw notFound("Lookout");
    if (deleted.searchReservedAt) {
      await refundExtremeSearch({
        ctx: { db: tx },
        input: { userId: ctx.userId, reservedAt: deleted.searchReservedAt },
      });
    }
  });
}
