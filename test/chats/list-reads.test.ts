import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createDb } from "../../src/db/client";
import { findSessionWithUserByToken } from "../../src/db/queries/auth";
import { listChatsByUser } from "../../src/db/queries/chats";
import { chatPageSchema } from "../../src/routes/chats/chats.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat } from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import { bearerHeaders } from "./fixtures";

const { sql, db, handle } = useTestDatabase();
let owner: SignedInUser;
let other: SignedInUser;
let token: string;

// Ties on the timestamp and differences below the millisecond: the page must come back in exact keyset order.
const createdAts = [
  "2024-05-01T10:00:00.000001Z",
  "2024-05-01T10:00:00.000001Z",
  "2024-05-01T10:00:00.000001Z",
  "2024-05-01T10:00:00.000002Z",
  "2024-05-01T10:00:00.001Z",
  "2024-04-30T23:59:59.999999Z",
  "2024-05-02T00:00:00Z",
];

beforeAll(async () => {
  owner = await signUpVerified("Along");
  other = await signUpVerified("Elsewhere");
  for (const createdAt of createdAts) await createChat(db, { userId: owner.id, createdAt });
  // Newer than all of the owner's chats: it must never appear in the owner's page.
  await createChat(db, { userId: other.id, createdAt: "2030-01-01T00:00:00Z" });
  const [row] = await sql<{ token: string }[]>`select token from session where user_id = ${owner.id} limit 1`;
  token = row?.token ?? "";
});

describe("the chat list's reads", () => {
  it("answers GET /api/chats in two database statements: the session lookup, then the page", async () => {
    const statements: string[] = [];
    const app = createApp({ onQuery: (statement) => statements.push(statement) });
    let cursor: string | null = null;
    const seen: string[] = [];
    for (const headers of [owner.headers, bearerHeaders(owner.bearer), owner.headers]) {
      statements.length = 0;
      const path = `/api/chats?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const ctx = createExecutionContext();
      const response = await app.fetch(new Request(`http://localhost:8787${path}`, { headers }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(200);
      const page = chatPageSchema.parse(await response.json());
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      expect(statements).toHaveLength(2);
      expect(statements[0]).toContain('from "session" session_looked_up join "user" u');
      expect(statements[1]).toContain('from "chat" c where c."user_id" =');
    }
    const expected = await sql<{ id: string }[]>`
      select id from chat where user_id = ${owner.id} order by created_at desc, id desc limit 9`;
    expect(seen).toEqual(expected.map((row) => row.id));
  });

  it("reads the pages in exact keyset order, page after page, through either driver", async () => {
    const testEnv = env as typeof env & { TEST_DATABASE_URL: string; TEST_NEON_PROXY: string };
    const neon = createDb({ DATABASE_URL: testEnv.TEST_DATABASE_URL, NEON_WS_PROXY: testEnv.TEST_NEON_PROXY });
    const expected = await sql<{ id: string }[]>`
      select id from chat where user_id = ${owner.id} order by created_at desc, id desc`;
    try {
      for (const db of [handle.db, neon.db]) {
        let after: { createdAt: string; id: string } | undefined;
        let pages = 0;
        const seen: string[] = [];
        for (;;) {
          const page = await listChatsByUser(db, { userId: owner.id, limit: 2, after });
          const found = await findSessionWithUserByToken(db, token);
          expect(found?.user.id).toBe(owner.id);
          expect(page.map((row) => row.id)).toEqual(expected.slice(seen.length, seen.length + 2).map((row) => row.id));
          seen.push(...page.map((row) => row.id));
          pages++;
          const last = page.at(-1);
          if (!last || page.length < 2) break;
          after = { createdAt: last.position, id: last.id };
        }
        expect(pages).toBe(4);
      }
    } finally {
      await neon.close();
    }
  });

  it("reads exactly the bounds asked for, and nothing for an unknown session", async () => {
    expect(await findSessionWithUserByToken(handle.db, "no-such-token")).toBeUndefined();
    const three = chatPageSchema.parse(await (await call("/api/chats?limit=3", { headers: owner.headers })).json());
    expect(three.items).toHaveLength(3);
    const four = chatPageSchema.parse(await (await call("/api/chats?limit=4", { headers: owner.headers })).json());
    expect(four.items.slice(0, 3)).toEqual(three.items);
    expect(four.items).toHaveLength(4);
    await expectEnvelope(await call("/api/chats?limit=3&cursor=not-a-cursor", { headers: owner.headers }), 400);
  });

  it("serves nothing of it when the session is refused", async () => {
    const expiring = await signUpVerified("Expiring");
    await createChat(db, { userId: expiring.id, title: "Should stay unseen" });
    await sql`update session set expires_at = now() - interval '1 minute' where user_id = ${expiring.id}`;
    const response = await call("/api/chats", { headers: bearerHeaders(expiring.bearer) });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("Should stay unseen");
  });
});
