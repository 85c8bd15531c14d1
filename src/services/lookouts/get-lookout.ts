import type { Queryable } from "../../db/client";
import { findOwnedLookout, type LookoutRow } from "../../db/queries/lookouts";
import type { LookoutRun } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { type LookoutView, toLookoutView, toRunViews } from "./lookout-view";

/** The owner's lookout; anyone else's is indistinguishable from a missing one. */
export async function findOwnedOrThrow(db: Queryable, params: { id: string; userId: string }): Promise<LookoutRow> {
  const row = await findOwnedLookout(db, params);
  if (!row) throw notFound("Lookout");
  return row;
}

export async function getLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { id: string };
}): Promise<LookoutView> {
  return toLookoutView(await findOwnedOrThrow(ctx.db, { id: input.id, userId: ctx.userId }));
}

/** The run history, newest first (at most the newest 100 runs are kept). */
export async function listLookoutRuns({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { id: string };
}): Promise<{ items: LookoutRun[]; nextCursor: null }> {
  const row = await findOwnedOrThrow(ctx.db, { id: input.id, userId: ctx.userId });
  return { items: toRunViews(row.runHistory), nextCursor: null };
}
