import type postgres from "postgres";
import type { ChatVisibility, MessageRole } from "../../src/db/schema";

/**
 * Chats and messages are inserted directly: the endpoint that creates them by message is not under test.
 * Timestamps are bound as text: postgres.js would turn a timestamptz parameter into a JS Date and drop
 * the microseconds these tests depend on.
 */
export async function insertChat(
  sql: postgres.Sql,
  fields: { userId: string; visibility?: ChatVisibility; title?: string; createdAt?: string; id?: string },
): Promise<string> {
  const id = fields.id ?? crypto.randomUUID();
  const createdAt = fields.createdAt ?? new Date().toISOString();
  await sql`
    insert into chat (id, user_id, title, visibility, created_at, updated_at)
    values (${id}, ${fields.userId}, ${fields.title ?? "Three quiet days in Kyoto"}, ${fields.visibility ?? "private"},
            ${createdAt}::text::timestamptz, ${createdAt}::text::timestamptz)`;
  return id;
}

export async function insertMessage(
  sql: postgres.Sql,
  fields: { chatId: string; role?: MessageRole; text?: string; createdAt?: string; id?: string },
): Promise<string> {
  const id = fields.id ?? crypto.randomUUID();
  const parts = JSON.stringify([{ type: "text", text: fields.text ?? "What is the weather in Kyoto in April?" }]);
  await sql`
    insert into message (id, chat_id, role, parts, attachments, created_at)
    values (${id}, ${fields.chatId}, ${fields.role ?? "user"}, ${parts}::json, '[]'::json,
            ${fields.createdAt ?? new Date().toISOString()}::text::timestamptz)`;
  return id;
}

export async function insertStream(sql: postgres.Sql, chatId: string): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into stream (id, chat_id) values (${id}, ${chatId})`;
  return id;
}

export const bearerHeaders = (token: string) => ({ authorization: `Bearer ${token}` });
