import type { Queryable } from "../../db/client";
import type { SessionCompanion } from "../../db/queries/auth";
import { ChatPageWithSession, listChatsByUser } from "../../db/queries/chats";
import { decodeCursor, type Page, toPage } from "../../lib/keyset-cursor";
import { type ChatView, toChatView } from "./chat-view";

type ListInput = { limit: number; cursor?: string };

/**
 * The caller's own chats, newest first. Never anyone else's, whatever the request asks for. When the
 * page was read with the caller's session (chatPageAlongSession), those rows are the page.
 */
export async function listChats({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string; alongSession?: SessionCompanion };
  input: ListInput;
}): Promise<Page<ChatView>> {
  const after = input.cursor === undefined ? undefined : decodeCursor("chats", input.cursor);
  const limit = input.limit + 1;
  const read = ctx.alongSession instanceof ChatPageWithSession ? ctx.alongSession.pageFor(limit, after) : undefined;
  const rows = read ?? (await listChatsByUser(ctx.db, { userId: ctx.userId, limit, after }));
  return toPage("chats", rows, input.limit, (row) => toChatView(row, ctx.userId));
}

/**
 * The page `input` asks for, to be read with the caller's session in one round trip; undefined for a
 * cursor that is not valid, which listChats then refuses as usual.
 */
export function chatPageAlongSession(input: ListInput): SessionCompanion | undefined {
  try {
    const after = input.cursor === undefined ? undefined : decodeCursor("chats", input.cursor);
    return new ChatPageWithSession(input.limit + 1, after);
  } catch {
    return undefined;
  }
}
