import { beforeAll, describe, expect, it } from "vitest";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessage } from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import { replyDone } from "../support/replies";
import { bearerHeaders } from "./fixtures";

const { sql, db } = useTestDatabase();
let owner: SignedInUser;
let stranger: SignedInUser;

beforeAll(async () => {
  [owner, stranger] = await Promise.all([signUpVerified("Owner"), signUpVerified("Stranger")]);
});

function post(user: SignedInUser, chatId: string, text: string) {
  return call("/api/chat", {
    method: "POST",
    headers: { ...bearerHeaders(user.bearer), "content-type": "application/json" },
    body: JSON.stringify({
      id: chatId,
      messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] }],
      trigger: "submit-message",
    }),
  });
}

async function usedToday(userId: string): Promise<number> {
  const [row] = await sql`
    select message_count from message_usage
    where user_id = ${userId} and date = date_trunc('day', now() at time zone 'utc') at time zone 'utc'`;
  return row?.message_count ?? 0;
}

async function traces(chatId: string) {
  const [row] = await sql`
    select (select count(*)::int from chat where id = ${chatId}) as chats,
           (select count(*)::int from message where chat_id = ${chatId}) as messages,
           (select count(*)::int from stream where chat_id = ${chatId}) as streams`;
  return row;
}

/** The refusal for another user's live chat, to compare a deleted id's refusal with. */
async function refusalForSomeoneElsesChat() {
  const { id: chatId } = await createChat(db, { userId: owner.id, visibility: "public" });
  return expectEnvelope(await post(stranger, chatId, "Let me in"), 404, "NOT_FOUND");
}

describe("a deleted chat's id", () => {
  it("is never given to another user: refused like someone else's chat, and nothing is saved", async () => {
    const { id: chatId } = await createChat(db, {
      userId: owner.id,
      visibility: "public",
      title: "Shared Lisbon plan",
    });
    await createMessage(db, { chatId, text: "Three days in Lisbon" });
    expect((await call(`/api/chats/${chatId}`)).status).toBe(200);
    expect((await call(`/api/chats/${chatId}`, { method: "DELETE", headers: owner.headers })).status).toBe(204);
    const [tombstone] = await sql`select user_id, deleted_at from deleted_chat where id = ${chatId}`;
    expect(tombstone?.user_id).toBe(owner.id);

    const usedBefore = await usedToday(stranger.id);
    const refused = await expectEnvelope(await post(stranger, chatId, "My content under the old link"), 404);
    const reference = await refusalForSomeoneElsesChat();
    expect(refused.error.code).toBe(reference.error.code);
    expect(refused.error.message).toBe(reference.error.message);
    expect(await traces(chatId)).toEqual({ chats: 0, messages: 0, streams: 0 });
    expect(await usedToday(stranger.id)).toBe(usedBefore);
    // The old share link finds nothing.
    await expectEnvelope(await call(`/api/chats/${chatId}`), 404, "NOT_FOUND");
  });

  it("is not reused by its owner either", async () => {
    const { id: chatId } = await createChat(db, { userId: owner.id });
    expect((await call(`/api/chats/${chatId}`, { method: "DELETE", headers: owner.headers })).status).toBe(204);
    await expectEnvelope(await post(owner, chatId, "Again"), 404, "NOT_FOUND");
    expect(await traces(chatId)).toEqual({ chats: 0, messages: 0, streams: 0 });
  });

  it("stays dead when the account that owned it is deleted", async () => {
    const leaving = await signUpVerified("Leaving");
    const chatIds = [
      (await createChat(db, { userId: leaving.id, visibility: "public" })).id,
      (await createChat(db, { userId: leaving.id })).id,
    ];
    expect((await call("/api/me", { method: "DELETE", headers: leaving.headers })).status).toBe(204);
    const rows = await sql`select id from deleted_chat where id in ${sql(chatIds)}`;
    expect(rows.map((row) => row.id).sort()).toEqual([...chatIds].sort());
    for (const chatId of chatIds) {
      await expectEnvelope(await post(stranger, chatId, "Taking over"), 404, "NOT_FOUND");
      expect(await traces(chatId)).toEqual({ chats: 0, messages: 0, streams: 0 });
    }
  });

  it("leaves a fresh id free to create a chat", async () => {
    const chatId = crypto.randomUUID();
    const response = await post(stranger, chatId, "A new trip");
    expect(response.status).toBe(200);
    await response.text();
    await replyDone(chatId);
    expect((await traces(chatId))?.chats).toBe(1);
  });
});
