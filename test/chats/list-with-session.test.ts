import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createDb } from "../../src/db/client";
import { findSessionWithUserByToken } from "../../src/db/queries/auth";
import { ChatPageWithSession, listChatsByUser } from "../../src/db/queries/chats";
import { chatPageSchema } from "../../src/routes/chats/chats.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat } from "../support/factories";
import { call } from "../support/http";
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

describe("the chat list read with the session", () => {
  it("answers GET /api/chats in one database statement, the session lookup carrying the page", async () => {
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
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('from "session" session_looked_up join "user" u');
      expect(statements[0]).toContain("json_agg");
    }
    const expected = await sql<{ id: string }[]>`
      select id from chat where user_id = ${owner.id} order by created_at desc, id desc limit 9`;
    expect(seen).toEqual(expected.map((row) => row.id));
  });

  it("reads exactly the page the list's own statement reads, page after page, through either driver", async () => {
    const testEnv = env as typeof env & { TEST_DATABASE_URL: string; TEST_NEON_PROXY: string };
    const neon = createDb({ DATABASE_URL: testEnv.TEST_DATABASE_URL, NEON_WS_PROXY: testEnv.TEST_NEON_PROXY });
    try {
      for (const db of [handle.db, neon.db]) {
        let after: { createdAt: string; id: string } | undefined;
        let pages = 0;
        for (;;) {
          const alone = await listChatsByUser(db, { userId: owner.id, limit: 2, after });
          const along = new ChatPageWithSession(2, after);
          const found = await findSessionWithUserByToken(db, token, along);
          expect(found?.user.id).toBe(owner.id);
          expect(along.pageFor(2, after)).toEqual(alone);
          pages++;
          const last = alone.at(-1);
          if (!last || alone.length < 2) break;
          after = { createdAt: last.position, id: last.id };
        }
        expect(pages).toBe(4);
      }
    } finally {
      await neon.close();
    }
  });

  it("is used only for the bounds it was read for, and reads nothing without a session", async () => {
    const along = new ChatPageWithSession(3, undefined);
    expect(await findSessionWithUserByToken(handle.db, "no-such-token", along)).toBeUndefined();
    expect(along.rows).toBeUndefined();
    expect(along.pageFor(3, undefined)).toBeUndefined();

    await findSessionWithUserByToken(handle.db, token, along);
    expect(along.pageFor(3, undefined)).toHaveLength(3);
    expect(along.pageFor(4, undefined)).toBeUndefined();
    expect(along.pageFor(3, { createdAt: "2024-05-01T10:00:00.000001Z", id: "x" })).toBeUndefined();
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
