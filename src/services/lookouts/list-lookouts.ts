import type { Queryable } from "../../db/client";
import { listLookoutsByUser } from "../../db/queries/lookouts";
import { decodeLookoutCursor, encodeLookoutCursor } from "./lookout-cursor";
import { type LookoutView, toLookoutView } from "./lookout-view";

/** The caller's lookouts, newest first, keyset-paginated on (created_at, id). */
export async function listLookouts({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { limit: number; cursor?: string };
}): Promise<{ items: LookoutView[]; nextCursor: string | null }> {
  const after = input.cursor === undefined ? undefined : decodeLookoutCursor(input.cursor);
  const rows = await listLookoutsByUser(ctx.db, { userId: ctx.userId, limit: input.limit + 1, after });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toLookoutView),
    nextCursor:
      rows.length > input.limit && last ? encodeLookoutCursor({ createdAt: last.position, id: last.id }) : null,
  };
}
