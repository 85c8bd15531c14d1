import type { Queryable } from "../../db/client";
import { listChatsByUser } from "../../db/queries/chats";
import { decodeCursor, type Page, toPage } from "../../lib/keyset-cursor";
import { type ChatView, toChatView } from "./chat-view";

/** The caller's own chats, newest first. Never anyone else's, whatever the request asks for. */
export async function listChats({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { limit: number; cursor?: string };
}): Promise<Page<ChatView>> {
  const after = input.cursor === undefined ? undefined : decodeCursor("chats", input.cursor);
  const rows = await listChatsByUser(ctx.db, { userId: ctx.userId, limit: input.limit + 1, after });
  return toPage("chats", rows, input.limit, (row) => toChatView(row, ctx.userId));
}
