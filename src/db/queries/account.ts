import { asc, eq, lt, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import {
  account,
  chat,
  customInstructions,
  deletedChat,
  extremeSearchUsage,
  lookout,
  messageUsage,
  payment,
  session,
  subscription,
  user,
  verification,
} from "../schema";

export async function findCustomInstructions(db: Queryable, userId: string) {
  const [row] = await db.select().from(customInstructions).where(eq(customInstructions.userId, userId)).limit(1);
  return row ?? null;
}

export async function upsertCustomInstructions(db: Queryable, userId: string, content: string) {
  const now = new Date();
  const [row] = await db
    .insert(customInstructions)
    .values({ id: crypto.randomUUID(), userId, content, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: customInstructions.userId, set: { content, updatedAt: now } })
    .returning();
  if (!row) throw new Error("upsert returned no row");
  return row;
}

export async function deleteCustomInstructionsOf(db: Queryable, userId: string): Promise<number> {
  const rows = await db
    .delete(customInstructions)
    .where(eq(customInstructions.userId, userId))
    .returning({ id: customInstructions.id });
  return rows.length;
}

/**
 * Deletes the account as the product requires: chats explicitly (their messages and streams cascade;
 * their ids are kept in `deleted_chat`), billing rows kept for accounting but unlinked, then the user
 * (sessions, accounts, usage, custom instructions and lookouts cascade). Call inside a transaction.
 */
export async function deleteUserAndData(db: Queryable, userId: string): Promise<boolean> {
  await db.execute(sql`
    with removed as (delete from ${chat} where ${chat.userId} = ${userId} returning id, user_id)
    insert into ${deletedChat} (id, user_id) select id, user_id from removed on conflict (id) do nothing`);
  await db.update(subscription).set({ userId: null }).where(eq(subscription.userId, userId));
  await db.update(payment).set({ userId: null }).where(eq(payment.userId, userId));
  const deleted = await db.delete(user).where(eq(user.id, userId)).returning({ id: user.id });
  return deleted.length > 0;
}

/**
 * Everything stored about a user except their messages, minus secrets (passwords, OAuth tokens, session
 * tokens). Messages are read a page at a time (listMessagesByChat), as an account may hold any number.
 */
export async function collectUserRecords(db: Queryable, userId: string) {
  const [profile] = await db.select().from(user).where(eq(user.id, userId));
  const accounts = await db
    .select({
      providerId: account.providerId,
      accountId: account.accountId,
      scope: account.scope,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    })
    .from(account)
    .where(eq(account.userId, userId));
  const sessions = await db
    .select({
      id: session.id,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      expiresAt: session.expiresAt,
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
    })
    .from(session)
    .where(eq(session.userId, userId));
  const chats = await db.select().from(chat).where(eq(chat.userId, userId)).orderBy(asc(chat.createdAt), asc(chat.id));
  const instructions = await findCustomInstructions(db, userId);
  const lookouts = await db.select().from(lookout).where(eq(lookout.userId, userId));
  const subscriptions = await db.select().from(subscription).where(eq(subscription.userId, userId));
  const payments = await db.select().from(payment).where(eq(payment.userId, userId));
  const messageUsageRows = await db.select().from(messageUsage).where(eq(messageUsage.userId, userId));
  const extremeUsageRows = await db.select().from(extremeSearchUsage).where(eq(extremeSearchUsage.userId, userId));
  return {
    profile: profile ?? null,
    accounts,
    sessions,
    chats,
    customInstructions: instructions,
    lookouts,
    subscriptions,
    payments,
    usage: { messages: messageUsageRows, extremeSearches: extremeUsageRows },
  };
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const rows = await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id });
  return rows.length;
}

export async function deleteExpiredVerifications(db: Queryable, now: Date): Promise<number> {
  const rows = await db.delete(verification).where(lt(verification.expiresAt, now)).returning({ id: verification.id });
  return rows.length;
}
