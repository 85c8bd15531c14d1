import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "../client";
import { type Message, message } from "../schema";
import { exactCreatedAt, type KeysetPosition, keysetAfter } from "./keyset";

export type MessagePageRow = Message & { position: string };

/** A chat's messages, oldest first, strictly after `after`; rides message_chat_id_created_at_id_idx. */
export async function listMessagesByChat(
  db: Queryable,
  params: { chatId: string; limit: number; after?: KeysetPosition },
): Promise<MessagePageRow[]> {
  const { chatId, limit, after } = params;
  return db
    .select({
      id: message.id,
      chatId: message.chatId,
      role: message.role,
      parts: message.parts,
      attachments: message.attachments,
      createdAt: message.createdAt,
      model: message.model,
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      totalTokens: message.totalTokens,
      completionTime: message.completionTime,
      position: exactCreatedAt(message.createdAt),
    })
    .from(message)
    .where(and(eq(message.chatId, chatId), after ? keysetAfter(message.createdAt, message.id, after, ">") : undefined))
    .orderBy(asc(message.createdAt), asc(message.id))
    .limit(limit);
}
