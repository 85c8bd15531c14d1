import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { chat } from "../schema";

/**
 * Serialises the turns of one user until the transaction ends, so two messages sent at once cannot both
 * count the same free slot for a live reply. A transaction-scoped advisory lock: nothing to clean up.
 */
export async function lockUserTurns(db: Queryable, userId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reply-turns:${userId}`}, 0))`);
}

/**
 * The user's chats used since `since`, newest first: a chat with a live reply is among them, because
 * every turn marks its chat as just used when it saves its stream row (the chat's object then says
 * whether that reply is still being generated). Read through the chat's user index.
 */
export async function recentlyUsedChats(
  db: Queryable,
  input: { userId: string; exceptChatId: string; since: Date; limit: number },
): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select ${chat.id} as id from ${chat}
      where ${chat.userId} = ${input.userId} and ${chat.updatedAt} > ${input.since.toISOString()}::timestamptz
        and ${chat.id} <> ${input.exceptChatId}
      order by ${chat.updatedAt} desc
      limit ${input.limit}`),
  );
  return rows.map((row) => row.id);
}
