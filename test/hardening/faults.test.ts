import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { UIMessage } from "ai";
import postgres from "postgres";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DAILY } from "../../src/cron/jobs";
import type { Env } from "../../src/env";
import { webhookReceiptSchema } from "../../src/routes/webhooks/webhooks.routes";
import { dodoEvent, polarEvent, postWebhook, rid, sign, signedMetadata } from "../billing/helpers";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessageUsage, createSession, createUser } from "../support/factories";
import { call, expectEnvelope, TRUSTED_ORIGIN } from "../support/http";
import { failingMidStreamModel, scriptedModel, textTurn, useModel } from "../support/models";
import { replyDone } from "../support/replies";
import worker from "../support/worker";
import { faultEnv, fetchWith, footprint, setDatabase, settleBackground } from "./support";

const { sql, db } = useTestDatabase();
const testModel = useModel();
let alice: SignedInUser;
let viaFaultProxy: Env;

beforeAll(async () => {
  [alice, viaFaultProxy] = await Promise.all([signUpVerified("Fault Alice"), faultEnv()]);
});
afterEach(async () => {
  await settleBackground();
  await setDatabase("up");
});

const bearer = (user: SignedInUser) => ({ authorization: `Bearer ${user.bearer}` });
const jsonHeaders = (user: SignedInUser) => ({ ...bearer(user), "content-type": "application/json" });

function userMessage(text: string): UIMessage {
  return { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] };
}

function postChat(user: SignedInUser, chatId: string, text: string, init: RequestInit = {}) {
  return call("/api/chat", {
    method: "POST",
    headers: jsonHeaders(user),
    body: JSON.stringify({ id: chatId, messages: [userMessage(text)], trigger: "submit-message" }),
    ...init,
  });
}

async function waitFor(condition: () => Promise<boolean>, label: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectUnavailable(response: Response, label: string) {
  const text = await response.clone().text();
  expect(response.status, `${label}: ${text.slice(0, 200)}`).toBe(503);
  await expectEnvelope(response, 503, "SERVICE_UNAVAILABLE");
  expect(response.headers.get("retry-after"), label).toMatch(/^\d+$/);
}

describe("the database goes down", () => {
  // Each 503 is logged as an error on purpose; keep the output readable.
  beforeEach(() => {
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers representative routes with 503 SERVICE_UNAVAILABLE and Retry-After, then recovers", async () => {
    const chatId = crypto.randomUUID();
    const polar = polarEvent();
    const signed = sign(polar.body);
    const requests: Array<[string, string, RequestInit]> = [
      ["GET /api/me (bearer)", "/api/me", { headers: bearer(alice) }],
      ["GET /api/me (cookie)", "/api/me", { headers: alice.headers }],
      ["GET /api/chats", "/api/chats?limit=5", { headers: bearer(alice) }],
      ["GET /api/chats/:id (anonymous)", `/api/chats/${chatId}`, {}],
      ["GET /api/chats/:id/messages (anonymous)", `/api/chats/${chatId}/messages`, {}],
      ["GET /api/billing", "/api/billing", { headers: bearer(alice) }],
      ["GET /api/me/export", "/api/me/export", { headers: bearer(alice) }],
      [
        "PUT /api/me/custom-instructions",
        "/api/me/custom-instructions",
        { method: "PUT", headers: jsonHeaders(alice), body: JSON.stringify({ content: "Window seats." }) },
      ],
      [
        "POST /api/chat",
        "/api/chat",
        {
          method: "POST",
          headers: jsonHeaders(alice),
          body: JSON.stringify({ id: chatId, messages: [userMessage("Kyoto in April?")] }),
        },
      ],
      [
        "POST /api/webhooks/polar",
        "/api/webhooks/polar",
        { method: "POST", headers: signed.headers, body: polar.body },
      ],
      ["GET /api/auth/get-session", "/api/auth/get-session", { headers: bearer(alice) }],
      [
        "POST /api/auth/sign-in/email",
        "/api/auth/sign-in/email",
        {
          method: "POST",
          headers: { "content-type": "application/json", origin: TRUSTED_ORIGIN, "cf-connecting-ip": alice.ip },
          body: JSON.stringify({ email: alice.email, password: alice.password }),
        },
      ],
    ];
    const before = await footprint(sql, alice.id);

    await setDatabase("down");
    {
      // Sent together: each one's closing of its failed connection runs after the response, in parallel.
      const answers = await Promise.all(
        requests.map(async ([label, path, init]) => {
          const started = Date.now();
          const response = await fetchWith(viaFaultProxy, path, init, { waitForBackground: false });
          return { label, response, ms: Date.now() - started };
        }),
      );
      for (const { label, response, ms } of answers) {
        await expectUnavailable(response, label);
        // Fails fast: no connect timeout is waited out.
        expect(ms, label).toBeLessThan(3000);
      }
    }
    expect(await footprint(sql, alice.id)).toEqual(before);
    expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(0);

    await setDatabase("up");
    const me = await fetchWith(viaFaultProxy, "/api/me", { headers: bearer(alice) });
    expect(me.status).toBe(200);
    const put = await fetchWith(viaFaultProxy, "/api/me/custom-instructions", requests[7]?.[2]);
    expect(put.status).toBe(200);
    // The provider's retry of the same delivery is applied once the database is back.
    const retried = await fetchWith(viaFaultProxy, "/api/webhooks/polar", requests[9]?.[2]);
    expect(webhookReceiptSchema.parse(await retried.json())).toEqual({ received: true });
  });

  it("leaves nothing half-written when the connection dies inside DELETE /api/me's transaction", async () => {
    const bob = await signUpVerified("Fault Bob");
    for (let index = 0; index < 2; index++) {
      await createChat(db, { userId: bob.id, title: "Kept", messages: [{ text: "hi" }] });
    }
    const before = await footprint(sql, bob.id);
    expect(before).toMatchObject({ chats: 2, messages: 2, users: 1 });

    let response: Response | undefined;
    // Hold a row lock on the user so the deletion stops after removing the chats, then kill its connection.
    await sql.begin(async (tx) => {
      const [locked] = await tx`select pg_backend_pid() as pid from "user" where id = ${bob.id} for no key update`;
      const pid = locked?.pid as number;
      const deleting = fetchWith(viaFaultProxy, "/api/me", { method: "DELETE", headers: bearer(bob) });
      await waitFor(async () => {
        const [row] =
          await sql`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`;
        return (row?.n ?? 0) > 0;
      }, "the deletion to block on the user row");
      await setDatabase("down");
      response = await deleting;
    });
    if (!response) throw new Error("no response");
    await expectUnavailable(response, "DELETE /api/me");
    // The chats deleted before the failure are back: the transaction never committed.
    expect(await footprint(sql, bob.id)).toEqual(before);

    await setDatabase("up");
    const retried = await fetchWith(viaFaultProxy, "/api/me", { method: "DELETE", headers: bearer(bob) });
    expect(retried.status).toBe(204);
    expect(await footprint(sql, bob.id)).toMatchObject({ chats: 0, messages: 0, users: 0, sessions: 0 });
  });

  it("fails a query that is waiting for a server connection instead of hanging", async () => {
    // Five transactions hold the fault proxy's whole pool; a sixth request must wait, then fail when it goes down.
    const holders = Array.from({ length: 5 }, () => testSqlVia(viaFaultProxy));
    const release: Array<() => void> = [];
    const held = holders.map(
      (holder) =>
        new Promise<void>((started) => {
          holder
            .begin(async (tx) => {
              await tx`select 1`;
              started();
              await new Promise<void>((resolve) => release.push(resolve));
            })
            .catch(() => {});
        }),
    );
    await Promise.all(held);
    const waiting = fetchWith(viaFaultProxy, "/api/me", { headers: bearer(alice) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await setDatabase("down");
    try {
      await expectUnavailable(await waiting, "GET /api/me while waiting for the pool");
    } finally {
      for (const resolve of release) resolve();
      await Promise.all(holders.map((holder) => holder.end({ timeout: 1 })));
    }
    await setDatabase("up");
    expect((await fetchWith(viaFaultProxy, "/api/me", { headers: bearer(alice) })).status).toBe(200);
  });
});

/** A raw client through the fault proxy (one connection). */
function testSqlVia(workerEnv: Env) {
  const url = workerEnv.HYPERDRIVE?.connectionString;
  if (!url) throw new Error("no connection string");
  return postgres(url, { max: 1, fetch_types: false, onnotice: () => {} });
}

describe("streamed replies under faults", () => {
  it("finishes and saves the reply when the client aborts mid-stream", async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `piece${i} `);
    testModel.install(scriptedModel([textTurn(pieces)], 10));
    const chatId = crypto.randomUUID();
    const before = await footprint(sql, alice.id);
    const controller = new AbortController();
    const response = await postChat(alice, chatId, "A long answer, please", { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    await reader?.cancel().catch(() => {});

    await replyDone(chatId);
    const rows = await sql`select role, parts from message where chat_id = ${chatId} order by created_at, id`;
    expect(rows.map((row) => row.role)).toEqual(["user", "assistant"]);
    expect(JSON.stringify(rows[1]?.parts)).toContain(pieces.join("").trim());
    const after = await footprint(sql, alice.id);
    expect(after.usage_count).toBe(before.usage_count + 1);
    expect(after.messages).toBe(before.messages + 2);
  });

  it("after a mid-stream model failure, the chat takes the next message with the partial answer as history", async () => {
    // The partial save and the kept allowance are asserted in test/chat/reply.test.ts.
    testModel.install(failingMidStreamModel(["Lisbon ", "in ", "May "]));
    const chatId = crypto.randomUUID();
    const failed = await (await postChat(alice, chatId, "Lisbon?")).text();
    expect(failed).toContain('"type":"error"');
    await replyDone(chatId);

    const model = scriptedModel([textTurn(["Porto too."])]);
    testModel.install(model);
    const next = await postChat(alice, chatId, "And Porto?");
    expect(next.status).toBe(200);
    await next.text();
    await replyDone(chatId);
    expect(JSON.stringify(model.doStreamCalls[0]?.prompt)).toContain("Lisbon in May");
    const roles = await sql`select role from message where chat_id = ${chatId} order by created_at, id`;
    expect(roles.map((row) => row.role)).toEqual(["user", "assistant", "user", "assistant"]);
  });
});

describe("redelivery", () => {
  it("applies one Polar delivery sent 5 times at once exactly once", async () => {
    const buyer = await createUser(db);
    const event = polarEvent({ externalId: buyer.id });
    const signed = sign(event.body);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => postWebhook("polar", event.body, signed.headers)),
    );
    const bodies = await Promise.all(
      responses.map(async (response) => {
        expect(response.status).toBe(200);
        return webhookReceiptSchema.parse(await response.json());
      }),
    );
    expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
    expect(bodies.filter((body) => body.duplicate)).toHaveLength(4);
    expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(1);
    const subscriptions = await sql`select user_id from subscription where id = ${event.subscriptionId}`;
    expect(subscriptions).toEqual([{ user_id: buyer.id }]);
  });

  it("applies one Dodo delivery sent 5 times at once exactly once", async () => {
    const buyer = await createUser(db);
    const event = dodoEvent({ data: { metadata: await signedMetadata(buyer.id) } });
    const signed = sign(event.body);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => postWebhook("dodo", event.body, signed.headers)),
    );
    const bodies = await Promise.all(
      responses.map(async (response) => webhookReceiptSchema.parse(await response.json())),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
    expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(1);
    expect(await sql`select user_id from payment where id = ${event.paymentId}`).toEqual([{ user_id: buyer.id }]);
  });
});

describe("two cron invocations at once", () => {
  it("runs daily maintenance twice concurrently without errors or double counting", async () => {
    const owner = await createUser(db);
    // A scheduled time in the past, so only the rows seeded here are old enough to be purged.
    const scheduledTime = new Date("2000-01-02T03:00:00Z");
    const expired = new Date("2000-01-01T00:00:00Z");
    const sessions: string[] = [];
    for (let index = 0; index < 3; index++) {
      sessions.push((await createSession(db, { userId: owner.id, expiresAt: expired })).id);
    }
    const { id: liveSession } = await createSession(db, { userId: owner.id });
    const verification = rid("ver");
    await sql`insert into verification (id, identifier, value, expires_at) values (${verification}, ${owner.email}, 'x', ${expired})`;
    const oldUsage: string[] = [];
    for (const i of [0, 1]) {
      const usage = await createMessageUsage(db, {
        userId: owner.id,
        count: 3,
        on: new Date(Date.UTC(1999, 11, 30 + i)),
      });
      oldUsage.push(usage.id);
    }

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const run = async () => {
        const ctx = createExecutionContext();
        await worker.scheduled(
          createScheduledController({ cron: DAILY, scheduledTime }),
          { ...env, LOG_LEVEL: "info" },
          ctx,
        );
        await waitOnExecutionContext(ctx);
      };
      await Promise.all([run(), run()]);
      expect(errors).not.toHaveBeenCalled();
      const done = logs.mock.calls
        .map((args) => JSON.parse(String(args[0])) as Record<string, unknown>)
        .filter((line) => line.msg === "cron.job.done" && line.job === "daily-maintenance");
      expect(done).toHaveLength(2);
      const total = (key: string) => done.reduce((sum, line) => sum + Number(line[key]), 0);
      // Each row is purged by exactly one of the two runs.
      expect(total("expiredSessions")).toBe(sessions.length);
      expect(total("expiredVerifications")).toBe(1);
      expect(total("oldUsageRows")).toBe(oldUsage.length);
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
    expect(await sql`select id from session where user_id = ${owner.id}`).toEqual([{ id: liveSession }]);
    expect(await sql`select 1 from verification where id = ${verification}`).toHaveLength(0);
    expect(await sql`select 1 from message_usage where user_id = ${owner.id}`).toHaveLength(0);
  });
});
