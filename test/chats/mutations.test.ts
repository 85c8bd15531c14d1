import { beforeAll, describe, expect, it } from "vitest";
import { chatSchema } from "../../src/routes/chats/chats.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessage, createStream } from "../support/factories";
import { call, expectEnvelope, json } from "../support/http";
import { bearerHeaders } from "./fixtures";

const { sql, db } = useTestDatabase();
let owner: SignedInUser;
let other: SignedInUser;

beforeAll(async () => {
  [owner, other] = await Promise.all([signUpVerified("Owner"), signUpVerified("Other")]);
});

const past = "2024-01-15T08:30:00.123456Z";

async function rowOf(chatId: string) {
  const [row] = await sql`
    select id, user_id, title, visibility,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
           to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_at
    from chat where id = ${chatId}`;
  return row;
}

describe("PATCH /api/chats/:id", () => {
  it("renames, changes visibility and touches updated_at only", async () => {
    const { id: chatId } = await createChat(db, { userId: owner.id, createdAt: past, title: "New Chat" });
    const response = await json("PATCH", `/api/chats/${chatId}`, { title: "  Kyoto in April  " }, owner.headers);
    expect(response.status).toBe(200);
    const body = chatSchema.parse(await response.json());
    expect(body).toMatchObject({ id: chatId, title: "Kyoto in April", visibility: "private", isOwner: true });
    expect(body.createdAt).toBe("2024-01-15T08:30:00.123Z");
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.parse(past));

    const shared = await json("PATCH", `/api/chats/${chatId}`, { visibility: "public" }, bearerHeaders(owner.bearer));
    expect(chatSchema.parse(await shared.json())).toMatchObject({ title: "Kyoto in April", visibility: "public" });

    const row = await rowOf(chatId);
    expect(row).toMatchObject({
      id: chatId,
      user_id: owner.id,
      title: "Kyoto in April",
      visibility: "public",
      created_at: past,
    });
    expect(row?.updated_at).not.toBe(past);

    // Now public, it is readable by anyone.
    const anonymous = await call(`/api/chats/${chatId}`);
    expect(chatSchema.parse(await anonymous.json())).toMatchObject({ visibility: "public", isOwner: false });
  });

  it("accepts a title of exactly 200 characters", async () => {
    const { id: chatId } = await createChat(db, { userId: owner.id });
    const title = "t".repeat(200);
    const response = await json("PATCH", `/api/chats/${chatId}`, { title }, owner.headers);
    expect(response.status).toBe(200);
    expect((await rowOf(chatId))?.title).toBe(title);
  });

  const invalidBodies: Record<string, unknown> = {
    "an empty object": {},
    "an empty title": { title: "" },
    "a blank title": { title: "   " },
    "a 201-character title": { title: "t".repeat(201) },
    "a non-string title": { title: 42 },
    "an unknown visibility": { visibility: "unlisted" },
    "a null visibility": { visibility: null },
    "an array": [{ title: "x" }],
    "malformed JSON": "{not json",
  };
  for (const [label, body] of Object.entries(invalidBodies)) {
    it(`refuses ${label} with 400 and changes nothing`, async () => {
      const { id: chatId } = await createChat(db, { userId: owner.id, createdAt: past, title: "Unchanged" });
      const before = await rowOf(chatId);
      await expectEnvelope(await json("PATCH", `/api/chats/${chatId}`, body, owner.headers), 400);
      expect(await rowOf(chatId)).toEqual(before);
    });
  }

  // Unknown fields are refused (strict body), so a client is never told it changed what it could not.
  const massAssignment: Record<string, Record<string, unknown>> = {
    user_id: { user_id: "__other__" },
    userId: { userId: "__other__" },
    created_at: { created_at: "2000-01-01T00:00:00Z" },
    createdAt: { createdAt: "2000-01-01T00:00:00Z" },
    updatedAt: { updatedAt: "2000-01-01T00:00:00Z" },
    id: { id: "hijacked-id" },
    isOwner: { isOwner: true },
  };
  for (const [field, extra] of Object.entries(massAssignment)) {
    it(`refuses ${field} next to allowed fields with 400 and writes nothing`, async () => {
      const { id: chatId } = await createChat(db, { userId: owner.id, createdAt: past, title: "Original" });
      const before = await rowOf(chatId);
      const payload = Object.fromEntries(
        Object.entries({ title: "Changed", visibility: "public", ...extra }).map(([key, value]) => [
          key,
          value === "__other__" ? other.id : value,
        ]),
      );
      const response = await json("PATCH", `/api/chats/${chatId}`, payload, owner.headers);
      const body = await expectEnvelope(response, 400, "VALIDATION_ERROR");
      expect(JSON.stringify(body.error.details)).toContain(field);
      expect(await rowOf(chatId)).toEqual(before);
      expect(await sql`select id from chat where id = 'hijacked-id'`).toHaveLength(0);
    });
  }

  it("ignores query parameters that try to pick another owner", async () => {
    const { id: chatId } = await createChat(db, { userId: other.id, visibility: "private" });
    await expectEnvelope(
      await json("PATCH", `/api/chats/${chatId}?userId=${other.id}&user_id=${other.id}`, { title: "x" }, owner.headers),
      404,
      "NOT_FOUND",
    );
    expect((await rowOf(chatId))?.title).toBe("Three quiet days in Kyoto");
  });

  it("refuses a non-JSON content type with 400", async () => {
    const { id: chatId } = await createChat(db, { userId: owner.id, title: "Unchanged" });
    const response = await call(`/api/chats/${chatId}`, {
      method: "PATCH",
      headers: { ...owner.headers, "content-type": "text/plain" },
      body: "title=x",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await rowOf(chatId))?.title).toBe("Unchanged");
  });
});

describe("DELETE /api/chats/:id", () => {
  it("removes the chat, its messages and its streams, and nothing else", async () => {
    const { id: doomed } = await createChat(db, { userId: owner.id });
    const { id: kept } = await createChat(db, { userId: owner.id });
    const { id: someoneElses } = await createChat(db, { userId: other.id, visibility: "public" });
    for (const chatId of [doomed, kept, someoneElses]) {
      await createMessage(db, { chatId, role: "user" });
      await createMessage(db, { chatId, role: "assistant" });
      await createStream(db, chatId);
    }

    const response = await call(`/api/chats/${doomed}`, { method: "DELETE", headers: owner.headers });
    expect(response.status).toBe(204);

    const count = async (table: "chat" | "message" | "stream", chatId: string) => {
      const column = table === "chat" ? sql`id` : sql`chat_id`;
      const [row] = await sql`select count(*)::int as n from ${sql(table)} where ${column} = ${chatId}`;
      return row?.n as number;
    };
    expect([await count("chat", doomed), await count("message", doomed), await count("stream", doomed)]).toEqual([
      0, 0, 0,
    ]);
    for (const chatId of [kept, someoneElses]) {
      expect([await count("chat", chatId), await count("message", chatId), await count("stream", chatId)]).toEqual([
        1, 2, 1,
      ]);
    }
    const [user] = await sql`select id from "user" where id = ${owner.id}`;
    expect(user).toBeDefined();

    // Gone means gone: a second delete and a read are 404.
    await expectEnvelope(await call(`/api/chats/${doomed}`, { method: "DELETE", headers: owner.headers }), 404);
    await expectEnvelope(await call(`/api/chats/${doomed}`, { headers: owner.headers }), 404);
  });
});

describe("the OpenAPI document", () => {
  it("publishes the chat routes and their schemas", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths["/api/chats"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/api/chats/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/api/chats/{id}/messages"] ?? {})).toEqual(["get"]);
    for (const name of ["Chat", "ChatPage", "ChatPatch", "Message", "MessagePage", "Attachment"]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });
});
