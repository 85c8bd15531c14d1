import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { KeysetPosition } from "../../lib/keyset-cursor";

export type { KeysetPosition };

export const EXACT_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * `created_at` rendered exactly. A JS Date keeps only milliseconds, so a cursor built from one would
 * skip or repeat rows whose timestamps differ below the millisecond.
 */
export const exactCreatedAt = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', ${sql.raw(EXACT_FORMAT)})`;

/**
 * Rows strictly past `after` in `(created_at, id)` order: `<` for newest first, `>` for oldest first.
 * The row comparison alone is exact, but the planner estimates it poorly and may walk the single-column
 * created_at index, filtering out other owners' rows; the redundant plain bound on created_at lets it see
 * the range on the (owner, created_at, id) index and seek straight to the page.
 */
export function keysetAfter(
  createdAt: AnyPgColumn | SQL,
  id: AnyPgColumn | SQL,
  after: KeysetPosition,
  direction: "<" | ">",
): SQL {
  const at = sql`${after.createdAt}::text::timestamptz`;
  const bound = sql.raw(direction === "<" ? "<=" : ">=");
  return sql`${createdAt} ${bound} ${at} and (${createdAt}, ${id}) ${sql.raw(direction)} (${at}, ${after.id})`;
}
