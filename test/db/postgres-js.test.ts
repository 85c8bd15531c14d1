import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle, executeRead } from "../../src/db/client";
import { chat, message, user } from "../../src/db/schema";
import { withShortcutsOff } from "../../src/lib/shortcuts";
import { signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { createChat } from "../support/factories";

const direct = testSql();
const byHand = createDb({ HYPERDRIVE: env.HYPERDRIVE });
// The libraries' own set-up: `postgres(url, options)` and `drizzle({ client, schema })`.
const library = withShortcutsOff(new Set(["driver"]), () => createDb({ HYPERDRIVE: env.HYPERDRIVE }));
afterAll(async () => {
  await byHand.close();
  await library.close();
  await direct.end();
});

/** What a handle reads for `userId`: the query builder, relational queries, raw reads, JSON and dates. */
async function readsOf(handle: DbHandle, userId: string, chatId: string) {
  const { db } = handle;
  return {
    users: await db.select().from(user).where(eq(user.id, userId)),
    withSessions: await db.query.user.findFirst({ where: eq(user.id, userId), with: { sessions: true } }),
    chats: await db.select().from(chat).where(eq(chat.userId, userId)),
    messages: await db.select().from(message).where(eq(message.chatId, chatId)),
    raw: await executeRead(
      db,
      sql`select now() - now() as zero, '{"a":[1,2]}'::json as j, timestamptz '2026-01-02 03:04:05.678+00' as at`,
    ),
  };
}

describe("the hand-built postgres.js and Drizzle set-up against the libraries' own", () => {
  it("reads exactly the same values, dates as dates and JSON parsed", async () => {
    const traveller = await signUpVerified("Driver");
    const { id: chatId } = await createChat(byHand.db, { userId: traveller.id, title: "Parity" });
    await direct`insert into message (id, chat_id, role, parts, attachments)
      values (${crypto.randomUUID()}, ${chatId}, 'user', ${direct.json([{ type: "text", text: "hi" }])}, '[]'::json)`;
    const mine = await readsOf(byHand, traveller.id, chatId);
    const theirs = await readsOf(library, traveller.id, chatId);
    expect(mine).toEqual(theirs);
    expect(mine.users[0]?.createdAt).toBeInstanceOf(Date);
    expect(mine.withSessions?.sessions.length).toBeGreaterThan(0);
    expect(mine.messages[0]?.parts).toEqual([{ type: "text", text: "hi" }]);
  });

  it("writes the same way: dates and JSON go in as the libraries send them", async () => {
    const traveller = await signUpVerified("Driver writes");
    const at = new Date("2026-03-04T05:06:07.089Z");
    for (const handle of [byHand, library]) {
      const id = crypto.randomUUID();
      await handle.db.insert(chat).values({ id, userId: traveller.id, title: "Written", createdAt: at, updatedAt: at });
      await handle.db
        .insert(message)
        .values({ id: crypto.randomUUID(), chatId: id, role: "user", parts: [{ type: "text", text: "x" }] });
      const [row] = await direct<{ created_at: Date; parts: unknown }[]>`
        select c.created_at, m.parts from chat c join message m on m.chat_id = c.id where c.id = ${id}`;
      expect(row?.created_at.toISOString()).toBe(at.toISOString());
      expect(row?.parts).toEqual([{ type: "text", text: "x" }]);
    }
  });
});
