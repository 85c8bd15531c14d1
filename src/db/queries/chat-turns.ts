import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { chat, type MessageAttachment, message, stream } from "../schema";

/** Creates the chat with the client-chosen id unless it exists; returns the owner of the chat under that id. */
export async function createChatIfMissing(
  db: Queryable,
  params: { id: string; userId: string; title: string },
): Promise<{ ownerId: string; created: boolean }> {
  const inserted = await db
    .insert(chat)
    .values({ id: params.id, userId: params.userId, title: params.title })
    .onConflictDoNothing({ target: chat.id })
    .returning({ userId: chat.userId });
  if (inserted[0]) return { ownerId: inserted[0].userId, created: true };
  const [existing] = await db.select({ userId: chat.userId }).from(chat).where(eq(chat.id, params.id));
  if (!existing) throw new Error("chat vanished between insert and select");
  return { ownerId: existing.userId, created: false };
}

export async function findChatOwner(db: Queryable, chatId: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: chat.userId }).from(chat).where(eq(chat.id, chatId));
  return row?.userId;
}

export async function insertUserMessage(
  db: Queryable,
  params: { id: string; chatId: string; parts: unknown[]; attachments: MessageAttachment[] },
) {
  await db.insert(message).values({
    id: params.id,
    chatId: params.chatId,
    role: "user",
    parts: params.parts,
    attachments: params.attachments,
  });
  await db.update(chat).set({ updatedAt: new Date() }).where(eq(chat.id, params.chatId));
}

export async function insertStream(db: Queryable, params: { id: string; chatId: string }) {
  await db.insert(stream).values({ id: params.id, chatId: params.chatId });
}

export interface AssistantMessageInput {
  id: string;
  chatId: string;
  parts: unknown[];
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  completionTime: number;
}

/** Saves the reply once: a second call with the same id (a retried save) changes nothing. */
export async function insertAssistantMessage(db: Queryable, input: AssistantMessageInput): Promise<boolean> {
  const rows = await db
    .insert(message)
    .values({ ...input, role: "assistant", attachments: [] })
    .onConflictDoNothing({ target: message.id })
    .returning({ id: message.id });
  await db.update(chat).set({ updatedAt: sql`now()` }).where(eq(chat.id, input.chatId));
  return rows.length > 0;
}

/** The chat's history for the model, oldest first, bounded to the newest `limit` messages. */
export async function listHistory(db: Queryable, chatId: string, limit = 100) {
  const rows = await db
    .select({ id: message.id, role: message.role, parts: message.parts, createdAt: message.createdAt })
    .from(message)
    .where(eq(message.chatId, chatId))
    .orderBy(sql`${message.createdAt} desc`, sql`${message.id} desc`)
    .limit(limit);
  return rows.reverse();
}
