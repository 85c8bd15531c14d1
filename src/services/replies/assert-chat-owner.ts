import type { Queryable } from "../../db/client";
import { findChatOwner } from "../../db/queries/chat-turns";
import { notFound } from "../../lib/errors";

/** Only the owner may stop a reply or attach to it; anyone else learns nothing about the chat. */
export async function assertChatOwner({
  ctx,
  input,
}: {
  ctx: { db: Queryable };
  input: { userId: string; chatId: string };
}) {
  const owner = await findChatOwner(ctx.db, input.chatId);
  if (owner !== input.userId) throw notFound("Chat");
}
