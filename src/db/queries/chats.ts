import { and, eq, type SQL, sql } from "drizzle-orm";
import { executeRead, type Queryable, rowsOf } from "../client";
import { type Chat, type ChatVisibility, chat, deletedChat } from "../schema";
import { EXACT_FORMAT, type KeysetPosition, keysetAfter } from "./keyset";
import { type Selection, selectionOf } from "./selection";

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

let listing: { select: string; chats: Selection<ChatRow> } | undefined;

function chatListing() {
  if (!listing) {
    const chats = selectionOf<ChatRow>(chat, { alias: "c", keys: Object.keys(chatColumns) as (keyof ChatRow)[] });
    listing = {
      select: `select ${chats.text}, to_char(c."created_at" at time zone 'UTC', ${EXACT_FORMAT}) as "position" from "chat" c where c."user_id" = `,
      chats,
    };
  }
  return listing;
}

/**
 * A page of a user's chats, newest first, strictly after `after`; rides chat_user_id_created_at_id_idx
 * backwards.
 */
function chatPageQuery(userId: string, limit: number, after: KeysetPosition | undefined): SQL {
  const keyset = after ? sql` and ${keysetAfter(sql.raw(`c."created_at"`), sql.raw(`c."id"`), after, "<")}` : sql``;
  return sql`${sql.raw(chatListing().select)}${userId}${keyset} order by c."created_at" desc, c."id" desc limit ${limit}`;
}

function readChatPage(rows: Record<string, unknown>[]): ChatPageRow[] {
  const { chats } = chatListing();
  return rows.map((row) => ({ ...chats.read(row), position: String(row.position) }));
}

/**
 * A user's chats, newest first, strictly after `after`. The chat list is read on most requests, so its
 * select list is written once per isolate.
 */
export async function listChatsByUser(
  db: Queryable,
  params: { userId: string; limit: number; after?: KeysetPosition },
): Promise<ChatPageRow[]> {
  const rows = await executeRead<Record<string, unknown>>(db, chatPageQuery(params.userId, params.limit, params.after));
  return readChatPage(rows);
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

/**
 * Deletes the chat when `userId` owns it; its messages and streams go by FK cascade, and its id is kept
 * in `deleted_chat`, in the same statement.
 */
export async function deleteOwnedChat(db: Queryable, params: { id: string; userId: string }): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
    with removed as (
      delete from ${chat} where ${chat.id} = ${params.id} and ${chat.userId} = ${params.userId}
      returning id, user_id
    ), buried as (
      insert into ${deletedChat} (id, user_id) select id, user_id from removed on conflict (id) do nothing
    )
    select id from removed`),
  );
  return rows.length > 0;
}
