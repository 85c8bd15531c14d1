import type { Queryable } from "../../db/client";
import { type ChatRow, findChatById } from "../../db/queries/chats";
import type { ChatVisibility } from "../../db/schema";
import { AppError } from "../../lib/errors";

/** Who is asking: a signed-in user's id, or null for an anonymous reader of public chats. */
export interface ChatsContext {
  db: Queryable;
  userId: string | null;
}

/** A chat as its reader sees it: never the owner's id or email, only whether the reader is the owner. */
export interface ChatView {
  id: string;
  title: string;
  visibility: ChatVisibility;
  createdAt: Date;
  updatedAt: Date;
  isOwner: boolean;
}

export function toChatView(row: ChatRow, userId: string | null): ChatView {
  return {
    id: row.id,
    title: row.title,
    visibility: row.visibility,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    isOwner: userId !== null && row.userId === userId,
  };
}

/** One message for a missing chat and for a private chat of someone else, so neither reveals which it is. */
export const chatNotFound = () => new AppError("NOT_FOUND", "Chat not found");

/** The chat if the caller may read it: the owner always, anyone when it is public. */
export async function findReadableChat(ctx: ChatsContext, chatId: string): Promise<ChatRow> {
  const row = await findChatById(ctx.db, chatId);
  if (!row) throw chatNotFound();
  if (row.visibility !== "public" && row.userId !== ctx.userId) throw chatNotFound();
  return row;
}

/**
 * Explains why an owner-only change matched no row: a missing or private chat is 404 (its existence stays
 * hidden), a public chat of someone else is 403 (everyone can already see it exists).
 */
export async function refuseNonOwner(ctx: ChatsContext, chatId: string): Promise<never> {
  const row = await findChatById(ctx.db, chatId);
  if (row && row.visibility === "public" && row.userId !== ctx.userId) {
    throw new AppError("FORBIDDEN", "Only the owner can change this chat");
  }
  throw chatNotFound();
}
