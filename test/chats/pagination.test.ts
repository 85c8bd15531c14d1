import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/lib/keyset-cursor";
import { chatPageSchema, messagePageSchema } from "../../src/routes/chats/chats.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessage } from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import { bearerHeaders } from "./fixtures";

const { sql, db } = useTestDatabase();
let user: SignedInUser;

beforeAll(async () => {
  user = await signUpVerified("Pager");
});

/**
 * Timestamps that collide exactly (the id must break the tie) and that differ only below the millisecond
 * (a cursor rounded to a JS Date would skip or repeat them).
 */
const trickyTimestamps = [
  "2024-03-01T09:00:00.000001Z",
  "2024-03-01T09:00:00.000001Z",
  "2024-03-01T09:00:00.000001Z",
  "2024-03-01T09:00:00.000002Z",
  "2024-03-01T09:00:00.000999Z",
  "2024-03-01T09:00:00.001Z",
  "2024-03-01T09:00:00.001Z",
  "2024-02-29T23:59:59.999999Z",
  "2024-03-02T00:00:00Z",
];

async function walk<T extends { id: string }>(
  firstPath: (cursor?: string) => string,
  parse: (body: unknown) => { items: T[]; nextCursor: string | null },
  options: { headers?: Record<string, string>; onPage?: (pageIndex: number) => Promise<void> } = {},
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const response = await call(firstPath(cursor), { headers: options.headers ?? bearerHeaders(user.bearer) });
    expect(response.status).toBe(200);
    const page = parse(await response.json());
    pages++;
    for (const item of page.items) {
      if (ids.includes(item.id)) throw new Error(`${item.id} was served twice`);
      ids.push(item.id);
    }
    await options.onPage?.(pages);
    if (page.nextCursor === null) return { ids, pages };
    cursor = page.nextCursor;
    if (pages > 1000) throw new Error("the walk does not end");
  }
}

describe("GET /api/chats pagination", () => {
  let userForList: SignedInUser;
  let expected: string[];

  beforeAll(async () => {
    userForList = user;
    for (const createdAt of trickyTimestamps) await createChat(db, { userId: userForList.id, createdAt });
    const rows = await sql`select id from chat where user_id = ${userForList.id} order by created_at desc, id desc`;
    expected = rows.map((row) => row.id as string);
  });

  for (const limit of [1, 2, 3, 4, 100]) {
    it(`walks every chat exactly once, newest first, with limit ${limit}`, async () => {
      const { ids, pages } = await walk(
        (cursor) => `/api/chats?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        (body) => chatPageSchema.parse(body),
      );
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      // Fetching limit + 1 rows means the walk never ends on an empty page.
      expect(pages).toBe(Math.ceil(expected.length / limit));
    });
  }

  it("keeps a walk intact while new chats are created: they appear only at the head", async () => {
    const newcomer = await signUpVerified("Busy Pager");
    const seeded: string[] = [];
    for (const createdAt of trickyTimestamps)
      seeded.push((await createChat(db, { userId: newcomer.id, createdAt })).id);
    const before = (
      await sql`select id from chat where user_id = ${newcomer.id} order by created_at desc, id desc`
    ).map((row) => row.id as string);

    const created: string[] = [];
    const { ids } = await walk(
      (cursor) => `/api/chats?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      (body) => chatPageSchema.parse(body),
      {
        headers: bearerHeaders(newcomer.bearer),
        // Two brand-new chats between every page, like a user chatting in another tab.
        onPage: async () => {
          created.push(
            (await createChat(db, { userId: newcomer.id })).id,
            (await createChat(db, { userId: newcomer.id })).id,
          );
        },
      },
    );
    expect(ids).toEqual(before);

    const head = chatPageSchema.parse(
      await (await call("/api/chats?limit=100", { headers: bearerHeaders(newcomer.bearer) })).json(),
    );
    const headIds = head.items.map((chat) => chat.id);
    expect(new Set(headIds.slice(0, created.length))).toEqual(new Set(created));
    expect(headIds.slice(created.length)).toEqual(before);
    expect(headIds).toHaveLength(seeded.length + created.length);
  });

  it("defaults to 20 per page and allows up to 100", async () => {
    const busy = await signUpVerified("Many Chats");
    for (let n = 1; n <= 21; n++) {
      await createChat(db, { userId: busy.id, title: `Chat ${n}`, createdAt: new Date(Date.now() - n * 1000) });
    }
    const first = chatPageSchema.parse(await (await call("/api/chats", { headers: busy.headers })).json());
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const all = chatPageSchema.parse(await (await call("/api/chats?limit=100", { headers: busy.headers })).json());
    expect(all.items).toHaveLength(21);
    expect(all.nextCursor).toBeNull();
  });
});

describe("GET /api/chats/:id/messages pagination", () => {
  let chatId: string;
  let expected: string[];

  beforeAll(async () => {
    chatId = (await createChat(db, { userId: user.id, visibility: "public" })).id;
    for (const [index, createdAt] of trickyTimestamps.entries()) {
      await createMessage(db, { chatId, createdAt, role: index % 2 === 0 ? "user" : "assistant" });
    }
    const rows = await sql`select id from message where chat_id = ${chatId} order by created_at asc, id asc`;
    expected = rows.map((row) => row.id as string);
  });

  for (const limit of [1, 2, 5, 100]) {
    it(`walks every message exactly once, oldest first, with limit ${limit}`, async () => {
      const { ids } = await walk(
        (cursor) => `/api/chats/${chatId}/messages?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        (body) => messagePageSchema.parse(body),
      );
      expect(ids).toEqual(expected);
    });
  }

  it("includes messages added during the walk exactly once, at the tail", async () => {
    const { id: live } = await createChat(db, { userId: user.id });
    for (const createdAt of trickyTimestamps) await createMessage(db, { chatId: live, createdAt });
    const added: string[] = [];
    const { ids } = await walk(
      (cursor) => `/api/chats/${live}/messages?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      (body) => messagePageSchema.parse(body),
      {
        onPage: async (page) => {
          if (page <= 2) added.push((await createMessage(db, { chatId: live, role: "assistant" })).id);
        },
      },
    );
    const rows = await sql`select id from message where chat_id = ${live} order by created_at asc, id asc`;
    expect(ids).toEqual(rows.map((row) => row.id as string));
    expect(ids.slice(-added.length)).toEqual(added);
  });

  it("serves the full message shape", async () => {
    const { id: withMetadata } = await createChat(db, { userId: user.id });
    await sql`
      insert into message (id, chat_id, role, parts, attachments, model, input_tokens, output_tokens, total_tokens,
                           completion_time)
      values (${crypto.randomUUID()}, ${withMetadata}, 'assistant', ${JSON.stringify([{ type: "text", text: "Sunny" }])}::json,
              ${JSON.stringify([{ url: "https://example.com/a.png", mediaType: "image/png", name: "a.png" }])}::json,
              'mylo-default', 12, 34, 46, 1.5)`;
    const page = messagePageSchema.parse(
      await (await call(`/api/chats/${withMetadata}/messages`, { headers: user.headers })).json(),
    );
    expect(page.items[0]).toMatchObject({
      chatId: withMetadata,
      role: "assistant",
      parts: [{ type: "text", text: "Sunny" }],
      attachments: [{ url: "https://example.com/a.png", mediaType: "image/png", name: "a.png" }],
      model: "mylo-default",
      inputTokens: 12,
      outputTokens: 34,
      totalTokens: 46,
      completionTime: 1.5,
    });
  });
});

describe("page parameters are validated", () => {
  const paths = () => ["/api/chats", `/api/chats/${crypto.randomUUID()}/messages`];

  for (const limit of ["0", "-1", "101", "abc", "1.5", ""]) {
    it(`refuses limit=${JSON.stringify(limit)} with 400`, async () => {
      for (const path of paths()) {
        const body = await expectEnvelope(
          await call(`${path}?limit=${limit}`, { headers: bearerHeaders(user.bearer) }),
          400,
          "VALIDATION_ERROR",
        );
        expect(JSON.stringify(body.error.details)).toContain("limit");
      }
    });
  }

  const b64 = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const forged: Record<string, string> = {
    "not base64url": "%%%not-a-cursor%%%",
    "base64 of junk": b64("hello").slice(0, -1),
    "not JSON": btoa("{{{").replace(/=+$/, ""),
    "wrong version": b64([2, "chats", "2024-03-01T09:00:00.000001Z", "x"]),
    "wrong shape": b64({ createdAt: "2024-03-01T09:00:00.000001Z", id: "x" }),
    "impossible date": b64([1, "chats", "2024-02-30T09:00:00.000001Z", "x"]),
    "year zero": b64([1, "chats", "0000-01-01T00:00:00.000000Z", "x"]),
    "millisecond precision": b64([1, "chats", "2024-03-01T09:00:00.000Z", "x"]),
    "SQL in the timestamp": b64([1, "chats", "2024-03-01'; drop table chat; --", "x"]),
    "empty id": b64([1, "chats", "2024-03-01T09:00:00.000001Z", ""]),
    "numeric id": b64([1, "chats", "2024-03-01T09:00:00.000001Z", 7]),
    "too long": "a".repeat(2000),
  };

  for (const [label, cursor] of Object.entries(forged)) {
    it(`refuses a forged cursor (${label}) with 400`, async () => {
      await expectEnvelope(
        await call(`/api/chats?cursor=${encodeURIComponent(cursor)}`, { headers: bearerHeaders(user.bearer) }),
        400,
        "VALIDATION_ERROR",
      );
    });
  }

  it("refuses a cursor from one list on another", async () => {
    const { id: chatId } = await createChat(db, { userId: user.id });
    const chatsCursor = encodeCursor("chats", { createdAt: "2024-03-01T09:00:00.000001Z", id: chatId });
    await expectEnvelope(
      await call(`/api/chats/${chatId}/messages?cursor=${chatsCursor}`, { headers: bearerHeaders(user.bearer) }),
      400,
      "VALIDATION_ERROR",
    );
    const messagesCursor = encodeCursor("messages", { createdAt: "2024-03-01T09:00:00.000001Z", id: chatId });
    await expectEnvelope(
      await call(`/api/chats?cursor=${messagesCursor}`, { headers: bearerHeaders(user.bearer) }),
      400,
      "VALIDATION_ERROR",
    );
  });

  it("accepts a well-formed cursor for a position that matches nothing", async () => {
    const cursor = encodeCursor("chats", { createdAt: "1970-01-01T00:00:00.000000Z", id: "zzz" });
    const response = await call(`/api/chats?cursor=${cursor}`, { headers: bearerHeaders(user.bearer) });
    expect(chatPageSchema.parse(await response.json())).toEqual({ items: [], nextCursor: null });
  });
});
