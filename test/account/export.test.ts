import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat } from "../support/factories";
import { call } from "../support/http";

const { sql, db } = useTestDatabase();

const MANY = 2_500;
let user: SignedInUser;
let stranger: SignedInUser;
let busyChat: string;

interface ExportedMessage {
  id: string;
  chatId: string;
  role: string;
  parts: Array<{ type: string; text: string }>;
  attachments: unknown[];
  createdAt: string;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  completionTime: number | null;
}
interface ExportBody {
  exportedAt: string;
  profile: { id: string; email: string };
  chats: Array<{ id: string; title: string; userId: string; messages: ExportedMessage[] }>;
  customInstructions: { content: string } | null;
  usage: { messages: unknown[]; extremeSearches: unknown[] };
}

beforeAll(async () => {
  [user, stranger] = await Promise.all([signUpVerified("Prolific"), signUpVerified("Stranger")]);
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
  ({ id: busyChat } = await createChat(db, { userId: user.id, title: "Busy", createdAt: daysAgo(3) }));
  await createChat(db, { userId: user.id, title: "Empty", createdAt: daysAgo(2) });
  await createChat(db, { userId: user.id, title: "Quiet", createdAt: daysAgo(1), messages: [{ text: "Lisbon?" }] });
  await createChat(db, { userId: stranger.id, title: "Not yours" });
  // Many messages, several sharing a timestamp to the microsecond, so paging has ties to get right
  // (one set-based statement: thousands of factory inserts would only slow the file down).
  await sql`
    insert into message (id, chat_id, role, parts, created_at, model, input_tokens, completion_time)
    select 'm-' || lpad(n::text, 5, '0'), ${busyChat}, case when n % 2 = 0 then 'assistant' else 'user' end,
           json_build_array(json_build_object('type', 'text', 'text', 'message ' || n || ' "quoted" \\ é')),
           timestamptz '2025-01-01 00:00:00.000001+00' + (n / 3) * interval '1 microsecond',
           case when n % 2 = 0 then 'offline' end, case when n % 2 = 0 then n end, case when n % 2 = 0 then 0.5 end
    from generate_series(1, ${MANY}) n`;
  await sql`insert into custom_instructions (id, user_id, content) values (${crypto.randomUUID()}, ${user.id}, 'Trains')`;
});

describe("GET /api/me/export", () => {
  it("streams every message of every chat as one JSON document of the same shape", async () => {
    const response = await call("/api/me/export", { headers: { authorization: `Bearer ${user.bearer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="mylo-export.json"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = JSON.parse(await response.text()) as ExportBody;

    expect(Object.keys(body)).toEqual([
      "exportedAt",
      "profile",
      "accounts",
      "sessions",
      "chats",
      "customInstructions",
      "lookouts",
      "subscriptions",
      "payments",
      "usage",
    ]);
    expect(body.profile.id).toBe(user.id);
    expect(body.customInstructions?.content).toBe("Trains");
    expect(body.chats.map((chat) => [chat.title, chat.messages.length])).toEqual([
      ["Busy", MANY],
      ["Empty", 0],
      ["Quiet", 1],
    ]);
    const busy = body.chats[0]?.messages ?? [];
    expect(busy.map((message) => message.id)).toEqual(
      Array.from({ length: MANY }, (_, i) => `m-${String(i + 1).padStart(5, "0")}`),
    );
    expect(busy[1]).toEqual({
      id: "m-00002",
      chatId: busyChat,
      role: "assistant",
      parts: [{ type: "text", text: 'message 2 "quoted" \\ é' }],
      attachments: [],
      createdAt: "2025-01-01T00:00:00.000Z",
      model: "offline",
      inputTokens: 2,
      outputTokens: null,
      totalTokens: null,
      completionTime: 0.5,
    });
    expect(Object.keys(body.chats[0] ?? {})).toEqual([
      "id",
      "userId",
      "title",
      "createdAt",
      "updatedAt",
      "visibility",
      "messages",
    ]);
    expect(JSON.stringify(body)).not.toContain("Not yours");
  });

  it("reads the messages in pages, never all at once", async () => {
    const statements: string[] = [];
    const app = createApp({ onQuery: (statement) => statements.push(statement) });
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request("http://localhost:8787/api/me/export", { headers: { authorization: `Bearer ${user.bearer}` } }),
      env,
      ctx,
    );
    const body = JSON.parse(await response.text()) as ExportBody;
    await waitOnExecutionContext(ctx);
    expect(body.chats[0]?.messages).toHaveLength(MANY);
    const messageReads = statements.filter((statement) => /from "message"/.test(statement));
    // Every read of messages is bounded, and it took several of them for the busy chat.
    expect(messageReads.length).toBeGreaterThanOrEqual(3);
    for (const statement of messageReads) expect(statement).toMatch(/limit \$?\d+/i);
  });

  it("lets go of the database when the reader stops half-way", async () => {
    const app = createApp();
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request("http://localhost:8787/api/me/export", { headers: { authorization: `Bearer ${user.bearer}` } }),
      env,
      ctx,
    );
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    await reader?.cancel();
    // The request's work, closing its connection once the export's transaction is over, finishes (it would
    // wait for ever on a transaction left open).
    await waitOnExecutionContext(ctx);
  });
});
