import type { Queryable } from "../../db/client";
import { updateOwnedChat } from "../../db/queries/chats";
import type { ChatVisibility } from "../../db/schema";
import { type ChatView, refuseNonOwner, toChatView } from "./chat-view";

/** Only these fields can change; `updated_at` moves with every accepted change. */
export interface ChatPatch {
  title?: string;
  visibility?: ChatVisibility;
}

export async function updateChat({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { chatId: string; patch: ChatPatch };
}): Promise<ChatView> {
  const patch: ChatPatch = {};
  if (input.patch.title !== undefined) patch.title = input.patch.title;
  if (input.patch.visibility !== undefined) patch.visibility = input.patch.visibility;
  const updated = await updateOwnedChat(ctx.db, { id: input.chatId, userId: ctx.userId, patch });
  if (!updated) return refuseNonOwner(ctx, input.chatId);
  return toChatView(updated, ctx.userId);
}
