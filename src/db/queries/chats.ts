import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { KeysetPosition } from "../../lib/keyset-cursor";
import type { Queryable } from "../client";
import { type Chat, type ChatVisibility, chat } from "../schema";

export type { KeysetPosition };

/**
 * `created_at` rendered exactly. A JS Date keeps only milliseconds, so a cursor built from one would
 * skip or repeat rows whose timestamps differ below the millisecond.
 */
export const exactCreatedAt = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Rows strictly past `after` in `(created_at, id)` order: `<` for newest first, `>` for oldest first.
 * The row comparison alone is exact, but the planner estimates it poorly and may walk the single-column
 * created_at index, filtering out other owners' rows; the redundant plain bound on created_at lets it see
 * the range on the (owner, created_at, id) index and seek straight to the page.
 */
export function keysetAfter(createdAt: AnyPgColumn, id: AnyPgColumn, after: KeysetPosition, direction: "<" | ">"): SQL {
  const at = sql`${after.createdAt}::text::timestamptz`;
  const bound = sql.raw(direction === "<" ? "<=" : ">=");
  return sql`${createdAt} ${bound} ${at} and (${createdAt}, ${id}) ${sql.raw(direction)} (${at}, ${after.id})`;
}

const chatColumns = {
  id: chat.id,
  userId: chat.userId,
  title: chat.title,
  visibility: chat.visibility,
  createdAt: chat.createdAt,
  updatedAt: chat.updatedAt,
};

export type ChatRow = Pick<Chat, keyof typeof chatColumns>;
export type ChatPageRow = ChatRow & { position: string };

export async function findChatById(db: Queryable, id: string): Promise<ChatRow | undefined> {
  const [row] = await db.select(chatColumns).from(chat).where(eq(chat.id, id)).limit(1);
  return row;
}

/** A user's chats, newest first, strictly after `after`; rides chat_user_id_created_at_id_idx backwards. */
export async function listChatsByUser(
  db: Queryable,
  params: { userId: string; limit: number; after?: KeysetPosition },
): Promise<ChatPageRow[]> {
  const { userId, limit, after } = params;
  return db
    .select({ ...chatColumns, position: exactCreatedAt(chat.createdAt) })
    .from(chat)
    .where(and(eq(chat.userId, userId), after ? keysetAfter(chat.createdAt, chat.id, after, "<") : undefined))
    .orderBy(desc(chat.createdAt), desc(chat.id))
    .limit(limit);
}

/** Applies the patch only when `userId` owns the chat; undefined otherwise (missing or someone else's). */
export async function updateOwnedChat(
  db: Queryable,
  params: { id: string; userId: string; patch: { title?: string; visibility?: ChatVisibility } },
): Promise<ChatRow | undefined> {
  const { id, userId, patch } = params;
  const changes: { title?: string; visibility?: ChatVisibility; updatedAt: SQL } = { updatedAt: sql`now()` };
  if (patch.title !== undefined) changes.title = patch.title;
  if (patch.visibility !== undefined) changes.visibility = patch.visibility;
  const [row] = await db
    .update(chat)
    .set(changes)
    .where(and(eq(chat.id, id), eq(chat.userId, userId)))
    .returning(chatColumns);
  return row;
}

/** Deletes the chat when `userId` owns it; its messages and streams go by FK cascade in the same statement. */
export async function deleteOwnedChat(db: Queryable, params: { id: string; userId: string }): Promise<boolean> {
  const rows = await db
    .delete(chat)
    .where(and(eq(chat.id, params.id), eq(chat.userId, params.userId)))
    .returning({ id: chat.id });
  return rows.length > 0;
}
