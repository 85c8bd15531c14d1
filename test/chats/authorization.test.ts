import { beforeAll, describe, expect, it } from "vitest";
import { errorEnvelopeSchema } from "../../src/http/error-envelope";
import { chatPageSchema, chatSchema, messagePageSchema } from "../../src/routes/chats/chats.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessage } from "../support/factories";
import { call, expectEnvelope, json, TRUSTED_ORIGIN } from "../support/http";
import { bearerHeaders } from "./fixtures";

const { sql, db } = useTestDatabase();
let owner: SignedInUser;
let other: SignedInUser;

beforeAll(async () => {
  [owner, other] = await Promise.all([signUpVerified("Owner"), signUpVerified("Someone Else")]);
});

type Caller = "owner (cookie)" | "owner (bearer)" | "other (cookie)" | "other (bearer)" | "anonymous";
const callers: Caller[] = ["owner (cookie)", "owner (bearer)", "other (cookie)", "other (bearer)", "anonymous"];
const visibilities = ["private", "public"] as const;

function headersOf(caller: Caller): Record<string, string> {
  switch (caller) {
    case "owner (cookie)":
      return owner.headers;
    case "owner (bearer)":
      return bearerHeaders(owner.bearer);
    case "other (cookie)":
      return other.headers;
    case "other (bearer)":
      return bearerHeaders(other.bearer);
    case "anonymous":
      return { origin: TRUSTED_ORIGIN };
  }
}

const isOwner = (caller: Caller) => caller.startsWith("owner");
const isAnonymous = (caller: Caller) => caller === "anonymous";

async function seedChat(visibility: (typeof visibilities)[number]) {
  const { id: chatId } = await createChat(db, { userId: owner.id, visibility, title: "Lisbon on a budget" });
  await createMessage(db, { chatId, role: "user", text: "Cheap eats in Lisbon?" });
  return chatId;
}

/** Nothing in a response may identify the owner to anyone else. */
function expectNoOwnerDetails(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(owner.email);
  expect(text).not.toContain(owner.id);
}

describe("object-level authorization on /api/chats/:id and its messages", () => {
  for (const visibility of visibilities) {
    for (const caller of callers) {
      const readable = isOwner(caller) || visibility === "public";

      it(`GET chat: ${caller}, ${visibility} chat → ${readable ? 200 : 404}`, async () => {
        const chatId = await seedChat(visibility);
        const response = await call(`/api/chats/${chatId}`, { headers: headersOf(caller) });
        if (!readable) {
          await expectEnvelope(response, 404, "NOT_FOUND");
          return;
        }
        expect(response.status).toBe(200);
        const body = chatSchema.parse(await response.json());
        expect(body).toMatchObject({ id: chatId, visibility, title: "Lisbon on a budget", isOwner: isOwner(caller) });
        if (!isOwner(caller)) expectNoOwnerDetails(body);
      });

      it(`GET messages: ${caller}, ${visibility} chat → ${readable ? 200 : 404}`, async () => {
        const chatId = await seedChat(visibility);
        const response = await call(`/api/chats/${chatId}/messages`, { headers: headersOf(caller) });
        if (!readable) {
          await expectEnvelope(response, 404, "NOT_FOUND");
          return;
        }
        expect(response.status).toBe(200);
        const body = messagePageSchema.parse(await response.json());
        expect(body.items).toHaveLength(1);
        expect(body.items[0]).toMatchObject({
          chatId,
          role: "user",
          parts: [{ type: "text", text: "Cheap eats in Lisbon?" }],
        });
        expect(body.nextCursor).toBeNull();
        if (!isOwner(caller)) expectNoOwnerDetails(body);
      });

      const mutationStatus = isAnonymous(caller) ? 401 : isOwner(caller) ? 200 : visibility === "public" ? 403 : 404;

      it(`PATCH chat: ${caller}, ${visibility} chat → ${mutationStatus}`, async () => {
        const chatId = await seedChat(visibility);
        const response = await json("PATCH", `/api/chats/${chatId}`, { title: "Renamed" }, headersOf(caller));
        const [row] = await sql`select title, visibility from chat where id = ${chatId}`;
        if (mutationStatus === 200) {
          expect(response.status).toBe(200);
          expect(chatSchema.parse(await response.json())).toMatchObject({
            id: chatId,
            title: "Renamed",
            isOwner: true,
          });
          expect(row).toEqual({ title: "Renamed", visibility });
          return;
        }
        const codes = { 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND" } as const;
        await expectEnvelope(response, mutationStatus, codes[mutationStatus]);
        expect(row).toEqual({ title: "Lisbon on a budget", visibility });
      });

      it(`DELETE chat: ${caller}, ${visibility} chat → ${mutationStatus === 200 ? 204 : mutationStatus}`, async () => {
        const chatId = await seedChat(visibility);
        const response = await call(`/api/chats/${chatId}`, { method: "DELETE", headers: headersOf(caller) });
        const remaining = await sql`select id from chat where id = ${chatId}`;
        if (mutationStatus === 200) {
          expect(response.status).toBe(204);
          expect(await response.text()).toBe("");
          expect(remaining).toHaveLength(0);
          return;
        }
        const codes = { 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND" } as const;
        await expectEnvelope(response, mutationStatus, codes[mutationStatus]);
        expect(remaining).toHaveLength(1);
      });
    }
  }
});

describe("a private chat is indistinguishable from a missing one", () => {
  it("answers another user with the same status, code and message as an unknown id, on every route", async () => {
    const chatId = await seedChat("private");
    const missing = crypto.randomUUID();
    const attempts = [
      (id: string) => call(`/api/chats/${id}`, { headers: other.headers }),
      (id: string) => call(`/api/chats/${id}/messages`, { headers: other.headers }),
      (id: string) => json("PATCH", `/api/chats/${id}`, { title: "Mine now" }, other.headers),
      (id: string) => call(`/api/chats/${id}`, { method: "DELETE", headers: bearerHeaders(other.bearer) }),
      (id: string) => call(`/api/chats/${id}`),
      (id: string) => call(`/api/chats/${id}/messages`),
    ];
    for (const attempt of attempts) {
      const hidden = errorEnvelopeSchema.parse(await (await attempt(chatId)).json());
      const absent = errorEnvelopeSchema.parse(await (await attempt(missing)).json());
      expect({ code: hidden.error.code, message: hidden.error.message }).toEqual({
        code: absent.error.code,
        message: absent.error.message,
      });
      expect(hidden.error.code).toBe("NOT_FOUND");
    }
  });
});

describe("GET /api/chats lists only the caller's own chats", () => {
  it("never shows another user's chats, public or private, and ignores a userId query parameter", async () => {
    const privateChat = await seedChat("private");
    const publicChat = await seedChat("public");
    const { id: mine } = await createChat(db, { userId: other.id });

    for (const path of ["/api/chats?limit=100", `/api/chats?limit=100&userId=${owner.id}`]) {
      for (const headers of [other.headers, bearerHeaders(other.bearer)]) {
        const response = await call(path, { headers });
        expect(response.status).toBe(200);
        const body = chatPageSchema.parse(await response.json());
        const ids = body.items.map((chat) => chat.id);
        expect(ids).toContain(mine);
        expect(ids).not.toContain(privateChat);
        expect(ids).not.toContain(publicChat);
        expect(body.items.every((chat) => chat.isOwner)).toBe(true);
      }
    }

    const ownList = chatPageSchema.parse(
      await (await call("/api/chats?limit=100", { headers: bearerHeaders(owner.bearer) })).json(),
    );
    expect(ownList.items.map((chat) => chat.id)).toEqual(expect.arrayContaining([privateChat, publicChat]));
    expect(ownList.items.map((chat) => chat.id)).not.toContain(mine);
  });

  it("answers anonymous callers with 401", async () => {
    await expectEnvelope(await call("/api/chats"), 401, "UNAUTHORIZED");
  });

  it("treats a forged bearer token as anonymous", async () => {
    const publicChat = await seedChat("public");
    const forged = bearerHeaders(`${owner.bearer.split(".")[0]}.forgedsignature`);
    await expectEnvelope(await call("/api/chats", { headers: forged }), 401, "UNAUTHORIZED");
    const read = await call(`/api/chats/${publicChat}`, { headers: forged });
    expect(chatSchema.parse(await read.json()).isOwner).toBe(false);
  });
});

describe("cross-site requests", () => {
  for (const method of ["PATCH", "DELETE"] as const) {
    it(`refuses a cookie-authenticated ${method} from an untrusted origin and changes nothing`, async () => {
      const chatId = await seedChat("public");
      const headers = { cookie: owner.headers.cookie ?? "", origin: "https://evil.example" };
      const response =
        method === "PATCH"
          ? await json("PATCH", `/api/chats/${chatId}`, { title: "pwned", visibility: "private" }, headers)
          : await call(`/api/chats/${chatId}`, { method: "DELETE", headers });
      await expectEnvelope(response, 403, "FORBIDDEN");
      const [row] = await sql`select title, visibility from chat where id = ${chatId}`;
      expect(row).toEqual({ title: "Lisbon on a budget", visibility: "public" });
      const [count] = await sql`select count(*)::int as n from message where chat_id = ${chatId}`;
      expect(count?.n).toBe(1);
    });
  }

  it("refuses a cookie-authenticated mutation with no Origin at all", async () => {
    const chatId = await seedChat("private");
    const response = await call(`/api/chats/${chatId}`, {
      method: "DELETE",
      headers: { cookie: owner.headers.cookie ?? "" },
    });
    await expectEnvelope(response, 403, "FORBIDDEN");
    expect(await sql`select id from chat where id = ${chatId}`).toHaveLength(1);
  });

  it("accepts a bearer-authenticated mutation whatever the Origin (bearer tokens are never sent ambiently)", async () => {
    const chatId = await seedChat("private");
    const response = await json(
      "PATCH",
      `/api/chats/${chatId}`,
      { title: "From the app" },
      { ...bearerHeaders(owner.bearer), origin: "https://evil.example" },
    );
    expect(response.status).toBe(200);
  });
});
