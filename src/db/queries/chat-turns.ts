import { eq, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { chat, deletedChat, type MessageAttachment, message, stream } from "../schema";
import { type PlanCandidateColumns, planCandidateColumns, planCandidatesOf } from "./billing";

export async function findChatOwner(db: Queryable, chatId: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: chat.userId }).from(chat).where(eq(chat.id, chatId));
  return row?.userId;
}

/**
 * What accepting a message needs to know first, in one round trip: the sender's plan candidates (see
 * planCandidateColumns) and who owns the chat under the given id, if anyone.
 */
export async function readTurnContext(db: Queryable, input: { userId: string; paidAfter: Date; chatId: string }) {
  const [row] = rowsOf<PlanCandidateColumns & { chat_owner: string | null }>(
    await db.execute(sql`
      select ${planCandidateColumns(input)},
             (select ${chat.userId} from ${chat} where ${chat.id} = ${input.chatId}) as chat_owner`),
  );
  return { ...planCandidatesOf(row), chatOwner: row?.chat_owner ?? undefined };
}

export interface UserTurn {
  chatId: string;
  userId: string;
  /** Used when this message creates the chat. */
  title: string;
  /** The id the message gets, unless `preferredId` is free. */
  messageId: string;
  /** The client's id for the message: kept when no message has it, so client and server ids agree. */
  preferredId?: string;
  parts: unknown[];
  attachments: MessageAttachment[];
  streamId: string;
}

/**
 * Saves a user's message and the stream row of its reply in one statement, creating the chat on its
 * first message or marking the user's existing chat as just used. Returns the id the message was saved
 * with, or undefined, writing nothing, when the chat id belongs to another user's chat or to a deleted
 * chat (see deletedChat). The preferred id is taken with `on conflict do nothing`, so a message saved
 * under it at the same moment (in any chat) makes this one fall back to `messageId` rather than fail.
 */
export async function saveUserTurn(db: Queryable, turn: UserTurn): Promise<string | undefined> {
  const rows = rowsOf<{ message_id: string }>(
    await db.execute(sql`
    with owned as (
      insert into ${chat} (id, user_id, title)
      select ${turn.chatId}::text, ${turn.userId}::text, ${turn.title}::text
      where not exists (select 1 from ${deletedChat} where ${deletedChat.id} = ${turn.chatId})
      on conflict (id) do update set updated_at = now() where ${chat.userId} = ${turn.userId}
      returning id
    ), content as (
      select ${JSON.stringify(turn.parts)}::json as parts, ${JSON.stringify(turn.attachments)}::json as attachments
    ), preferred as (
      insert into ${message} (id, chat_id, role, parts, attachments)
      select ${turn.preferredId ?? null}::text, owned.id, 'user', content.parts, content.attachments
      from owned, content where ${turn.preferredId ?? null}::text is not null
      on conflict (id) do nothing
      returning id
    ), fallback as (
      insert into ${message} (id, chat_id, role, parts, attachments)
      select ${turn.messageId}::text, owned.id, 'user', content.parts, content.attachments
      from owned, content where not exists (select 1 from preferred)
      returning id
    ), saved_stream as (
      insert into ${stream} (id, chat_id) select ${turn.streamId}::text, id from owned
    )
    select coalesce((select id from preferred), (select id from fallback)) as message_id from owned`),
  );
  return rows[0]?.message_id;
}

/**
 * Deletes a user message of the owner's chat and every message after it (an edited message replaces
 * it and what followed). False, with nothing deleted, when `messageId` is not a user message there.
 */
export async function deleteFromUserMessage(
  db: Queryable,
  input: { chatId: string; userId: string; messageId: string },
): Promise<boolean> {
  const rows = rowsOf<{ found: boolean }>(
    await db.execute(sql`
    with target as (
      select m.created_at, m.id from ${message} m join ${chat} c on c.id = m.chat_id
      where m.id = ${input.messageId} and m.chat_id = ${input.chatId} and c.user_id = ${input.userId}
        and m.role = 'user'
    ), removed as (
      delete from ${message} m using target t
      where m.chat_id = ${input.chatId} and (m.created_at, m.id) >= (t.created_at, t.id)
    )
    select exists (select 1 from target) as found`),
  );
  return rows[0]?.found === true;
}

export type RegenerationResult =
  | { status: "prepared"; answersMessageId: string }
  | { status: "unknown-message" }
  | { status: "no-user-message" };

/**
 * Makes the owner's chat ready for a new reply to an earlier message, in one statement: the anchor is
 * `messageId` (a message of this chat) or else the chat's last message. When the anchor is a reply, it
 * and everything after it go, and the user message before it is answered again; when the anchor is a
 * user message, everything after it goes and it is answered again. Also writes the new reply's stream
 * row and marks the chat as just used. Nothing is written unless a user message is found to answer.
 */
export async function prepareRegeneration(
  db: Queryable,
  input: { chatId: string; userId: string; messageId?: string; streamId: string },
): Promise<RegenerationResult> {
  const rows = rowsOf<{ anchor_id: string | null; answers_id: string | null }>(
    await db.execute(sql`
    with owned as (
      select id from ${chat} where id = ${input.chatId} and user_id = ${input.userId}
    ), anchor as (
      select m.id, m.role, m.created_at from ${message} m join owned on owned.id = m.chat_id
      ${input.messageId === undefined ? sql`` : sql`where m.id = ${input.messageId}`}
      order by m.created_at desc, m.id desc limit 1
    ), answers as (
      select m.id, m.created_at from ${message} m, anchor a
      where m.chat_id = ${input.chatId} and m.role = 'user'
        and (m.created_at, m.id) <= (a.created_at, a.id)
      order by m.created_at desc, m.id desc limit 1
    ), removed as (
      delete from ${message} m using answers u
      where m.chat_id = ${input.chatId} and (m.created_at, m.id) > (u.created_at, u.id)
    ), saved_stream as (
      insert into ${stream} (id, chat_id) select ${input.streamId}::text, ${input.chatId}::text from answers
    ), touched as (
      update ${chat} set updated_at = now() where id = (select id from owned) and exists (select 1 from answers)
    )
    select (select id from anchor) as anchor_id, (select id from answers) as answers_id`),
  );
  const row = rows[0];
  if (!row?.anchor_id) return { status: "unknown-message" };
  if (!row.answers_id) return { status: "no-user-message" };
  return { status: "prepared", answersMessageId: row.answers_id };
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
