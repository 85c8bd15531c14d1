import type { Queryable } from "../../db/client";
import { listLookoutsByUser } from "../../db/queries/lookouts";
import { decodeCursor, type Page, toPage } from "../../lib/keyset-cursor";
import { type LookoutView, toLookoutView } from "./lookout-view";

/** The caller's lookouts, newest first, keyset-paginated on (created_at, id). */
export async function listLookouts({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { limit: number; cursor?: string };
}): Promise<Page<LookoutView>> {
  const after = input.cursor === undefined ? undefined : decodeCursor("lookouts", input.cursor);
  const rows = await listLookoutsByUser(ctx.db, { userId: ctx.userId, limit: input.limit + 1, after });
  return toPage("lookouts", rows, input.limit, toLookoutView);
}
