import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { DAILY } from "../../src/cron/jobs";
import { findSessionWithUserByToken } from "../../src/db/queries/auth";
import { loadConfig } from "../../src/env";
import { customInstructionsResponseSchema, meSchema } from "../../src/routes/me/me.routes";
import { getAccountStatus } from "../../src/services/account/get-account-status";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import {
  createChat,
  createLookout,
  createMessageUsage,
  createProSubscription,
  createSession,
  createStream,
} from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import worker from "../support/worker";

const { sql, db, handle } = useTestDatabase();

function put(headers: Record<string, string>, body: unknown) {
  return call("/api/me/custom-instructions", {
    method: "PUT",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("GET /api/me", () => {
  it("reports the user, a free plan and usage against the default allowances", async () => {
    const user = await signUpVerified("Ines");
    await createMessageUsage(db, { userId: user.id, count: 3 });
    const response = await call("/api/me", { headers: user.headers });
    expect(response.status).toBe(200);
    const body = meSchema.parse(await response.json());
    expect(body.user).toMatchObject({ id: user.id, email: user.email, emailVerified: true });
    expect(body.plan).toEqual({ tier: "free", source: null, until: null });
    expect(body.usage.messages).toMatchObject({ used: 3, limit: 20 });
    expect(new Date(body.usage.messages.resetAt).getUTCHours()).toBe(0);
    expect(body.usage.extremeSearches).toMatchObject({ used: 0, limit: 5 });
    expect(new Date(body.usage.extremeSearches.resetAt).getUTCDate()).toBe(1);
  });

  it("reports Pro from a stored active subscription to a configured product, with its abuse ceilings", async () => {
    const user = await signUpVerified("Pia");
    await createProSubscription(db, user.id);
    const body = meSchema.parse(
      await (await call("/api/me", { headers: { authorization: `Bearer ${user.bearer}` } })).json(),
    );
    expect(body.plan.tier).toBe("pro");
    expect(body.plan.source).toBe("polar");
    expect(Date.parse(body.plan.until ?? "")).toBeGreaterThan(Date.now());
    expect(body.usage.messages.limit).toBe(500);
    expect(body.usage.extremeSearches.limit).toBe(100);
  });

  it("takes two database statements: the session with its user, then plan and usage together", async () => {
    const user = await signUpVerified("Counted");
    const statements: string[] = [];
    const app = createApp({ onQuery: (statement) => statements.push(statement) });
    for (const headers of [user.headers, { authorization: `Bearer ${user.bearer}` }]) {
      statements.length = 0;
      const ctx = createExecutionContext();
      const response = await app.fetch(new Request("http://localhost:8787/api/me", { headers }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(200);
      expect(meSchema.parse(await response.json()).user.id).toBe(user.id);
      expect(statements).toHaveLength(2);
      // The one-statement session lookup, then the plan candidates and the usage counters in one read.
      expect(statements[0]).toContain('from "session" session_looked_up join "user" u');
      expect(statements[1]).toContain("message_usage");
    }
  });

  it("reads each caller's own plan and usage, and the same as the API reports", async () => {
    const user = await signUpVerified("Alongside");
    await createProSubscription(db, user.id);
    await createMessageUsage(db, { userId: user.id, count: 7 });
    // Someone with nothing: their read must not pick up anyone else's subscription or usage.
    const bystander = await signUpVerified("Bystander");
    const config = loadConfig(env);
    for (const [who, tier, used] of [
      [user, "pro", 7],
      [bystander, "free", 0],
    ] as const) {
      const [row] = await sql<{ token: string }[]>`select token from session where user_id = ${who.id} limit 1`;
      expect((await findSessionWithUserByToken(handle.db, row?.token ?? ""))?.user.id).toBe(who.id);
      const status = await getAccountStatus({ ctx: { db: handle.db, config }, input: { userId: who.id } });
      const reported = meSchema.parse(await (await call("/api/me", { headers: who.headers })).json());
      expect({ plan: reported.plan, messages: reported.usage.messages.used }).toEqual({
        plan: { tier: status.plan.tier, source: status.plan.source, until: reported.plan.until },
        messages: status.usage.messages.used,
      });
      expect(status.plan.tier).toBe(tier);
      expect(status.usage.messages.used).toBe(used);
    }
  });

  it("answers 401 without a session", async () => {
    await expectEnvelope(await call("/api/me"), 401, "UNAUTHORIZED");
  });

  it("keeps concurrent requests of different users apart", async () => {
    // better-auth's configuration is shared by the isolate; each request's database client is its own.
    const users = await Promise.all(["Ada", "Ben", "Cleo"].map((name) => signUpVerified(name)));
    const requests = Array.from({ length: 30 }, (_, index) => users[index % users.length] as SignedInUser);
    const answers = await Promise.all(
      requests.map(async (user, index) => {
        const headers = index % 2 === 0 ? user.headers : { authorization: `Bearer ${user.bearer}` };
        const response = await call("/api/me", { headers });
        return meSchema.parse(await response.json()).user.id;
      }),
    );
    expect(answers).toEqual(requests.map((user) => user.id));
  });
});

describe("custom instructions", () => {
  it("starts empty, is set, replaced and cleared; one row per user", async () => {
    const user = await signUpVerified();
    const empty = await call("/api/me/custom-instructions", { headers: user.headers });
    expect(customInstructionsResponseSchema.parse(await empty.json())).toEqual({ customInstructions: null });

    const first = await put(user.headers, { content: "I travel with a wheelchair." });
    expect(first.status).toBe(200);
    const second = await put(user.headers, { content: "  Vegetarian; prefer trains.  " });
    const body = customInstructionsResponseSchema.parse(await second.json());
    expect(body.customInstructions?.content).toBe("Vegetarian; prefer trains.");
    const rows = await sql`select content from custom_instructions where user_id = ${user.id}`;
    expect(rows.map((row) => row.content)).toEqual(["Vegetarian; prefer trains."]);

    const cleared = await call("/api/me/custom-instructions", { method: "DELETE", headers: user.headers });
    expect(cleared.status).toBe(204);
    expect(await sql`select 1 from custom_instructions where user_id = ${user.id}`).toHaveLength(0);
    const again = await call("/api/me/custom-instructions", { method: "DELETE", headers: user.headers });
    expect(again.status).toBe(204);
  });

  it("refuses empty, oversized and unknown-field bodies and writes nothing", async () => {
    const user = await signUpVerified();
    for (const body of [{ content: "" }, { content: "   " }, { content: "x".repeat(4001) }, { content: 5 }, {}]) {
      await expectEnvelope(await put(user.headers, body), 400, "VALIDATION_ERROR");
    }
    await expectEnvelope(await put(user.headers, { content: "ok", userId: "someone-else" }), 400, "VALIDATION_ERROR");
    const malformed = await call("/api/me/custom-instructions", {
      method: "PUT",
      headers: { ...user.headers, "content-type": "application/json" },
      body: "{not json",
    });
    await expectEnvelope(malformed, 400);
    expect(await sql`select 1 from custom_instructions where user_id = ${user.id}`).toHaveLength(0);
  });
});

describe("account deletion", () => {
  it("removes chats, messages, streams and the user's rows, and keeps billing rows unlinked", async () => {
    const user = await signUpVerified();
    const bystander = await signUpVerified();
    const { id: chatId } = await createChat(db, { userId: user.id, title: "Kyoto", messages: [{ parts: [] }] });
    const { id: otherChat } = await createChat(db, {
      userId: bystander.id,
      title: "Lisbon",
      messages: [{ parts: [] }],
    });
    await createStream(db, chatId);
    await put(user.headers, { content: "Window seat" });
    const { id: subscriptionId } = await createProSubscription(db, user.id);
    const paymentId = `pay-${crypto.randomUUID()}`;
    await sql`insert into payment (id, user_id, created_at, currency, total_amount) values (${paymentId}, ${user.id}, now(), 'USD', 900)`;
    await createLookout(db, { userId: user.id });
    await createMessageUsage(db, { userId: user.id, count: 3 });

    const cross = await call("/api/me", {
      method: "DELETE",
      headers: { cookie: user.jar.header(), origin: "https://evil.example" },
    });
    await expectEnvelope(cross, 403, "FORBIDDEN");
    expect(await sql`select 1 from "user" where id = ${user.id}`).toHaveLength(1);

    const response = await call("/api/me", { method: "DELETE", headers: user.headers });
    expect(response.status).toBe(204);

    const counts = await sql`
      select
        (select count(*)::int from "user" where id = ${user.id}) as users,
        (select count(*)::int from session where user_id = ${user.id}) as sessions,
        (select count(*)::int from account where user_id = ${user.id}) as accounts,
        (select count(*)::int from chat where user_id = ${user.id}) as chats,
        (select count(*)::int from message where chat_id = ${chatId}) as messages,
        (select count(*)::int from stream where chat_id = ${chatId}) as streams,
        (select count(*)::int from custom_instructions where user_id = ${user.id}) as instructions,
        (select count(*)::int from lookout where user_id = ${user.id}) as lookouts,
        (select count(*)::int from message_usage where user_id = ${user.id}) as usage,
        (select count(*)::int from message where chat_id = ${otherChat}) as bystander_messages`;
    expect(counts[0]).toEqual({
      users: 0,
      sessions: 0,
      accounts: 0,
      chats: 0,
      messages: 0,
      streams: 0,
      instructions: 0,
      lookouts: 0,
      usage: 0,
      bystander_messages: 1,
    });
    const [sub] = await sql`select user_id from subscription where id = ${subscriptionId}`;
    const [pay] = await sql`select user_id from payment where id = ${paymentId}`;
    expect(sub).toEqual({ user_id: null });
    expect(pay).toEqual({ user_id: null });

    await expectEnvelope(await call("/api/me/custom-instructions", { headers: user.headers }), 401, "UNAUTHORIZED");
    expect((await call("/api/me/custom-instructions", { headers: bystander.headers })).status).toBe(200);
  });
});

describe("account deletion needs a recent sign-in or the password", () => {
  const remove = (user: SignedInUser, body?: unknown, via: "cookie" | "bearer" = "cookie") =>
    call("/api/me", {
      method: "DELETE",
      headers: {
        ...(via === "cookie" ? user.headers : { authorization: `Bearer ${user.bearer}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** The user's sessions as if signed in 11 minutes ago: still valid, no longer fresh. */
  const age = (user: SignedInUser) =>
    sql`update session set created_at = now() - interval '11 minutes' where user_id = ${user.id}`;
  const exists = async (user: SignedInUser) => (await sql`select 1 from "user" where id = ${user.id}`).length === 1;

  it("refuses a session signed in more than 10 minutes ago without the password, with 403 REAUTHENTICATION_REQUIRED", async () => {
    const user = await signUpVerified("Stale");
    await age(user);
    for (const via of ["cookie", "bearer"] as const) {
      const refused = await expectEnvelope(await remove(user, undefined, via), 403, "REAUTHENTICATION_REQUIRED");
      expect(refused.error.message).toBe("Confirm your password to delete your account");
    }
    const empty = await expectEnvelope(await remove(user, {}), 403, "REAUTHENTICATION_REQUIRED");
    expect(empty.error.message).toBe("Confirm your password to delete your account");
    const wrong = await expectEnvelope(await remove(user, { password: "not-the-password" }), 403);
    expect(wrong.error).toMatchObject({ code: "REAUTHENTICATION_REQUIRED", message: "The password is not correct" });
    expect(await exists(user)).toBe(true);
    // Everything else the stale session may do still works.
    expect((await call("/api/me", { headers: user.headers })).status).toBe(200);
  });

  it("deletes with a stale session when the password is given", async () => {
    const user = await signUpVerified("Confirmed");
    await age(user);
    expect((await remove(user, { password: user.password }, "bearer")).status).toBe(204);
    expect(await exists(user)).toBe(false);
  });

  it("deletes with a session signed in within the last 10 minutes, without a password", async () => {
    const user = await signUpVerified("Fresh");
    await sql`update session set created_at = now() - interval '9 minutes' where user_id = ${user.id}`;
    expect((await remove(user)).status).toBe(204);
    expect(await exists(user)).toBe(false);
  });

  it("never deletes with a wrong password, even from a fresh session", async () => {
    const user = await signUpVerified("Careful");
    await expectEnvelope(await remove(user, { password: "not-the-password" }), 403, "REAUTHENTICATION_REQUIRED");
    expect(await exists(user)).toBe(true);
  });

  it("refuses malformed bodies with 400 and guessing with 429", async () => {
    const user = await signUpVerified("Guessed");
    await age(user);
    await expectEnvelope(await remove(user, { password: 42 }), 400, "VALIDATION_ERROR");
    await expectEnvelope(await remove(user, { password: "x", extra: true }), 400, "VALIDATION_ERROR");
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await remove(user, { password: `guess-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.at(-1)).toBe(429);
    // Even the right password waits once the guesses are used up.
    await expectEnvelope(await remove(user, { password: user.password }), 429, "RATE_LIMITED");
    expect(await exists(user)).toBe(true);
  });
});

describe("export", () => {
  it("returns the user's data and nothing of anyone else's", async () => {
    const user = await signUpVerified("Exporter");
    const stranger = await signUpVerified("Stranger");
    await createChat(db, {
      userId: user.id,
      title: "Lisbon in May",
      messages: [{ text: "Hello Lisbon" }],
    });
    await createChat(db, { userId: stranger.id, title: "Secret trip" });
    await put(user.headers, { content: "Budget traveller" });
    const response = await call("/api/me/export", { headers: { authorization: `Bearer ${user.bearer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const body = (await response.json()) as {
      profile: { email: string };
      chats: Array<{ title: string; messages: unknown[] }>;
      customInstructions: { content: string };
      sessions: Array<Record<string, unknown>>;
      accounts: Array<Record<string, unknown>>;
    };
    expect(body.profile.email).toBe(user.email);
    expect(body.chats.map((c) => c.title)).toEqual(["Lisbon in May"]);
    expect(body.chats[0]?.messages).toHaveLength(1);
    expect(body.customInstructions.content).toBe("Budget traveller");
    expect(body.sessions.length).toBeGreaterThan(0);
    for (const s of body.sessions) expect(s).not.toHaveProperty("token");
    for (const a of body.accounts) expect(Object.keys(a)).not.toContain("password");
    expect(JSON.stringify(body)).not.toContain(stranger.email);
    expect(JSON.stringify(body)).not.toContain("Secret trip");
  });
});

describe("daily maintenance", () => {
  it("deletes expired sessions, verifications and previous days' usage, keeps live ones, and is idempotent", async () => {
    const user = await signUpVerified();
    const expiredSession = `expired-${crypto.randomUUID()}`;
    const expiredVerification = `expired-${crypto.randomUUID()}`;
    const liveVerification = `live-${crypto.randomUUID()}`;
    await createSession(db, {
      id: expiredSession,
      userId: user.id,
      token: expiredSession,
      expiresAt: new Date(Date.now() - 86_400_000),
    });
    await sql`insert into verification (id, identifier, value, expires_at) values
      (${expiredVerification}, 'x', 'y', now() - interval '1 hour'),
      (${liveVerification}, 'x', 'y', now() + interval '1 hour')`;

    const { id: oldUsage } = await createMessageUsage(db, {
      userId: user.id,
      count: 4,
      on: new Date(Date.now() - 86_400_000),
    });
    const { id: todayUsage } = await createMessageUsage(db, { userId: user.id, count: 2 });
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      for (let i = 0; i < 2; i++) {
        const ctx = createExecutionContext();
        await worker.scheduled(
          createScheduledController({ cron: DAILY, scheduledTime: new Date() }),
          { ...env, LOG_LEVEL: "info" },
          ctx,
        );
        await waitOnExecutionContext(ctx);
      }
    } finally {
      logs.mockRestore();
    }
    expect(await sql`select 1 from session where id = ${expiredSession}`).toHaveLength(0);
    expect(await sql`select 1 from verification where id = ${expiredVerification}`).toHaveLength(0);
    expect(await sql`select 1 from verification where id = ${liveVerification}`).toHaveLength(1);
    expect(await sql`select 1 from message_usage where id = ${oldUsage}`).toHaveLength(0);
    expect(await sql`select 1 from message_usage where id = ${todayUsage}`).toHaveLength(1);
    expect((await call("/api/me/custom-instructions", { headers: user.headers })).status).toBe(200);
  });
});
