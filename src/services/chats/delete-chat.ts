import type { Queryable } from "../../db/client";
import { deleteOwnedChat } from "../../db/queries/chats";
import { refuseNonOwner } from "./chat-view";

/** Removes the chat with its messages and streams (FK cascade, one statement); nothing else is touched. */
export async function deleteChat({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { chatId: string };
}): Promise<void> {
  const deleted = await deleteOwnedChat(ctx.db, { id: input.chatId, userId: ctx.userId });
  if (!deleted) await refuseNonOwner(ctx, input.chatId);
}
