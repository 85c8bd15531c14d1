import type { Queryable } from "../../db/client";
import { deleteOwnedLookout } from "../../db/queries/lookouts";
import { notFound } from "../../lib/errors";

/** Deletes the owner's lookout in any status; a run in flight finds its claim gone and records nothing. */
export async function deleteLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { id: string };
}): Promise<void> {
  if (!(await deleteOwnedLookout(ctx.db, { id: input.id, userId: ctx.userId }))) throw notFound("Lookout");
}
