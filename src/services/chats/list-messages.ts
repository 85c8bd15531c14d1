import { listMessagesByChat } from "../../db/queries/messages";
import type { Message } from "../../db/schema";
import { decodeCursor, type Page, toPage } from "../../lib/keyset-cursor";
import { type ChatsContext, findReadableChat } from "./chat-view";

export type MessageView = Message;

/** A readable chat's messages, oldest first; a chat the caller cannot read is 404 like a missing one. */
export async function listMessages({
  ctx,
  input,
}: {
  ctx: ChatsContext;
  input: { chatId: string; limit: number; cursor?: string };
}): Promise<Page<MessageView>> {
  const after = input.cursor === undefined ? undefined : decodeCursor("messages", input.cursor);
  await findReadableChat(ctx, input.chatId);
  const rows = await listMessagesByChat(ctx.db, { chatId: input.chatId, limit: input.limit + 1, after });
  return toPage("messages", rows, input.limit, ({ position: _position, ...message }) => message);
}
