import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/env";
import { createLogger } from "../../src/lib/log";
import { createResendMailer } from "../../src/services/mail/mailer";
import {
  createTestAuthClient,
  lastMail,
  randomIp,
  type SignedInUser,
  signUpVerified,
  uniqueEmail,
} from "../support/auth";
import { useTestDatabase } from "../support/db";
import { call, expectEnvelope, json, TRUSTED_ORIGIN } from "../support/http";

const { sql } = useTestDatabase();

const PROTECTED = "/api/me/custom-instructions";
let alice: SignedInUser;

beforeAll(async () => {
  alice = await signUpVerified("Alice");
});

describe("who gets in", () => {
  it("lets a valid cookie and a valid bearer token in", async () => {
    expect((await call(PROTECTED, { headers: alice.headers })).status).toBe(200);
    expect((await call(PROTECTED, { headers: { authorization: `Bearer ${alice.bearer}` } })).status).toBe(200);
  });

  it("answers 401 without credentials", async () => {
    await expectEnvelope(await call(PROTECTED), 401, "UNAUTHORIZED");
  });

  it("answers 401 to a tampered cookie", async () => {
    const cookie = alice.jar.header();
    const tampered = cookie.replace(/session_token=([^;.]+)\.([^;]+)/, (_m, token: string, signature: string) => {
      const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      return `session_token=${token}.${flipped}`;
    });
    expect(tampered).not.toBe(cookie);
    await expectEnvelope(await call(PROTECTED, { headers: { cookie: tampered } }), 401, "UNAUTHORIZED");
    const otherToken = cookie.replace(/session_token=([^;.]+)/, "session_token=forged-token-value");
    await expectEnvelope(await call(PROTECTED, { headers: { cookie: otherToken } }), 401, "UNAUTHORIZED");
  });

  it("answers 401 to a raw session token without its signature", async () => {
    const raw = alice.bearer.split(".")[0];
    await expectEnvelope(await call(PROTECTED, { headers: { authorization: `Bearer ${raw}` } }), 401, "UNAUTHORIZED");
  });

  it("answers 401 to a bearer token with a forged signature or another token's signature", async () => {
    const [token, signature] = alice.bearer.split(".") as [string, string];
    const flipped = `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    const bob = await signUpVerified("Bob the signer");
    const borrowed = bob.bearer.split(".")[1] ?? "";
    for (const forged of [
      `${token}.${flipped}`,
      `${token}.${borrowed}`,
      `${token}.${encodeURIComponent(flipped)}`,
      `${token}.`,
    ]) {
      await expectEnvelope(
        await call(PROTECTED, { headers: { authorization: `Bearer ${forged}` } }),
        401,
        "UNAUTHORIZED",
      );
    }
    // A valid bearer next to someone else's cookie: the bearer decides, as with better-auth's plugin.
    const mixed = await call("/api/me", {
      headers: { authorization: `Bearer ${alice.bearer}`, cookie: bob.jar.header() },
    });
    expect(((await mixed.json()) as { user: { id: string } }).user.id).toBe(alice.id);
  });

  it("answers 401 to an expired session", async () => {
    const bob = await signUpVerified("Bob");
    await sql`update session set expires_at = now() - interval '1 minute' where user_id = ${bob.id}`;
    await expectEnvelope(await call(PROTECTED, { headers: bob.headers }), 401, "UNAUTHORIZED");
    await expectEnvelope(
      await call(PROTECTED, { headers: { authorization: `Bearer ${bob.bearer}` } }),
      401,
      "UNAUTHORIZED",
    );
  });

  it("answers 401 to a cookie reused after sign-out", async () => {
    const carol = await signUpVerified("Carol");
    const cookie = carol.jar.header();
    const [before] = await sql`select count(*)::int as n from session where user_id = ${carol.id}`;
    const { client } = createTestAuthClient({ jar: carol.jar, ip: carol.ip });
    expect((await client.signOut()).error).toBeNull();
    await expectEnvelope(await call(PROTECTED, { headers: { cookie, origin: TRUSTED_ORIGIN } }), 401, "UNAUTHORIZED");
    const [after] = await sql`select count(*)::int as n from session where user_id = ${carol.id}`;
    expect(after?.n).toBe((before?.n ?? 0) - 1);
  });
});

describe("sign-up input", () => {
  it.each([7, 129])("refuses a password of %i characters with 400 and creates nothing", async (length) => {
    const email = uniqueEmail();
    const { client } = createTestAuthClient();
    const result = await client.signUp.email({ email, password: "p".repeat(length), name: "Short" });
    expect(result.error?.status).toBe(400);
    const rows = await sql`select id from "user" where email = ${email}`;
    expect(rows).toHaveLength(0);
  });

  it("accepts passwords of 8 and 128 characters", async () => {
    for (const length of [8, 128]) {
      const { client } = createTestAuthClient();
      const result = await client.signUp.email({ email: uniqueEmail(), password: "q".repeat(length), name: "Edge" });
      expect(result.error).toBeNull();
    }
  });

  it("ignores server-owned fields in the sign-up body", async () => {
    const email = uniqueEmail();
    const response = await json(
      "POST",
      "/api/auth/sign-up/email",
      {
        email,
        password: "long enough password",
        name: "Mallory",
        emailVerified: true,
        id: "chosen-id",
        createdAt: "2000-01-01T00:00:00Z",
        updatedAt: "2000-01-01T00:00:00Z",
        role: "admin",
      },
      { "cf-connecting-ip": "198.51.100.7" },
    );
    expect(response.status).toBe(200);
    const [row] = await sql`select id, email_verified, created_at from "user" where email = ${email}`;
    expect(row?.id).not.toBe("chosen-id");
    expect(row?.email_verified).toBe(false);
    expect(new Date(row?.created_at).getUTCFullYear()).toBeGreaterThan(2020);
  });
});

describe("brute force", () => {
  it("slows repeated failed sign-ins from one client with 429 and Retry-After", async () => {
    const { client } = createTestAuthClient();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const response = await json(
        "POST",
        "/api/auth/sign-in/email",
        { email: alice.email, password: `wrong-${i}-password` },
        { "cf-connecting-ip": "198.51.100.99" },
      );
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get("retry-after");
        await expectEnvelope(response, 429, "RATE_LIMITED");
      }
    }
    expect(statuses.slice(0, 5).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The counter lives in the database, shared by every isolate.
    const rows = await sql`select count from rate_limit where key like ${"%198.51.100.99%"}`;
    expect(rows.length).toBeGreaterThan(0);
    // Another client is unaffected.
    const other = await client.signIn.email({ email: alice.email, password: alice.password });
    expect(other.error).toBeNull();
  });
});

describe("brute force against one account", () => {
  const attemptFrom = (ip: string, email: string, password: string) =>
    json("POST", "/api/auth/sign-in/email", { email, password }, { "cf-connecting-ip": ip });

  /** One wrong password per client address, each address new, until a refusal or `limit` attempts. */
  async function spreadGuesses(email: string, limit = 14) {
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) {
      const response = await attemptFrom(randomIp(), email, `wrong-${i}-password`);
      statuses.push(response.status);
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get("retry-after"));
        const body = await expectEnvelope(response, 429, "RATE_LIMITED");
        return { statuses, retryAfter, body: body as unknown as Record<string, unknown> };
      }
      await response.text();
    }
    return { statuses, retryAfter: undefined, body: undefined };
  }

  const shape = (body: Record<string, unknown> | undefined) => {
    const { error, ...rest } = (body ?? {}) as { error?: Record<string, unknown> };
    const { requestId: _requestId, ...stable } = error ?? {};
    return { ...rest, error: stable };
  };

  it("refuses sign-in to an account after repeated wrong passwords from many addresses, even the right one", async () => {
    const target = await signUpVerified("Targeted");
    const { statuses, retryAfter } = await spreadGuesses(target.email);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeLessThanOrEqual(12);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    // The account, not an address, is what is held back: the right password from a new address waits too.
    const rightPassword = await attemptFrom(randomIp(), target.email.toUpperCase(), target.password);
    await expectEnvelope(rightPassword, 429, "RATE_LIMITED");
    // The counter is shared by every isolate, and does not name the account.
    const rows = await sql`select key from rate_limit where key like 'sign-in-account|%'`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => String(row.key)).join()).not.toContain(target.email.split("@")[0]);
  });

  it("answers an unknown email with the same refusal", async () => {
    const known = await signUpVerified("Known");
    const knownRefusal = await spreadGuesses(known.email);
    const unknownRefusal = await spreadGuesses(uniqueEmail("nobody"));
    expect(unknownRefusal.statuses).toEqual(knownRefusal.statuses);
    expect(shape(unknownRefusal.body)).toEqual(shape(knownRefusal.body));
    expect(unknownRefusal.retryAfter).toBeGreaterThan(0);
  });

  it("does not count a successful sign-in against the account", async () => {
    const traveller = await signUpVerified("Regular");
    for (let i = 0; i < 12; i++) {
      const response = await attemptFrom(randomIp(), traveller.email, traveller.password);
      expect(response.status).toBe(200);
      await response.text();
    }
  });
});

describe("redirect targets", () => {
  it.each(["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"])(
    "refuses or neutralises callbackURL %s",
    async (callbackURL) => {
      const email = uniqueEmail();
      const response = await json(
        "POST",
        "/api/auth/sign-up/email",
        { email, password: "long enough password", name: "Redirected", callbackURL },
        { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 200) + 20}` },
      );
      if (response.status === 200) {
        const mail = lastMail(email, "verify-email");
        const link = new URL(mail?.url ?? "http://invalid/");
        const target = link.searchParams.get("callbackURL") ?? "";
        const resolved = new URL(target, TRUSTED_ORIGIN);
        expect(resolved.origin).toBe(TRUSTED_ORIGIN);
      } else {
        expect(response.status).toBe(403);
        const rows = await sql`select id from "user" where email = ${email}`;
        expect(rows).toHaveLength(0);
      }
    },
  );

  it("never redirects a verification link to another origin", async () => {
    for (const callbackURL of ["https://evil.example", "//evil.example", "/\\evil.example"]) {
      const response = await call(
        `/api/auth/verify-email?token=invalid-token&callbackURL=${encodeURIComponent(callbackURL)}`,
      );
      const location = response.headers.get("location");
      if (location) expect(new URL(location, TRUSTED_ORIGIN).origin).toBe(TRUSTED_ORIGIN);
      else expect(response.status).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a cookie-authenticated mutation from a foreign Origin with 403 and changes nothing", async () => {
    const response = await call(PROTECTED, {
      method: "PUT",
      headers: { cookie: alice.jar.header(), origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ content: "pwned" }),
    });
    await expectEnvelope(response, 403, "FORBIDDEN");
    const noOrigin = await call(PROTECTED, {
      method: "PUT",
      headers: { cookie: alice.jar.header(), "content-type": "application/json" },
      body: JSON.stringify({ content: "pwned" }),
    });
    await expectEnvelope(noOrigin, 403, "FORBIDDEN");
    const rows = await sql`select content from custom_instructions where user_id = ${alice.id}`;
    expect(rows.map((row) => row.content)).not.toContain("pwned");
  });

  it("holds a cookie-authenticated mutation to the Origin rule even when a junk bearer header comes with it", async () => {
    for (const junk of ["junk", "not-a-signed-token", ""]) {
      const response = await call(PROTECTED, {
        method: "PUT",
        headers: {
          cookie: alice.jar.header(),
          authorization: `Bearer ${junk}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ content: `pwned through ${junk || "an empty bearer"}` }),
      });
      await expectEnvelope(response, 403, "FORBIDDEN");
    }
    const rows = await sql`select content from custom_instructions where user_id = ${alice.id}`;
    expect(rows.some((row) => String(row.content).startsWith("pwned"))).toBe(false);
    // The same cookie from a trusted origin still works, junk header or not.
    const trusted = await call(PROTECTED, {
      method: "PUT",
      headers: {
        cookie: alice.jar.header(),
        authorization: "Bearer junk",
        origin: TRUSTED_ORIGIN,
        "content-type": "application/json",
      },
      body: JSON.stringify({ content: "Aisle seats" }),
    });
    expect(trusted.status).toBe(200);
  });

  it("lets a bearer-authenticated mutation through without an Origin", async () => {
    const response = await call(PROTECTED, {
      method: "PUT",
      headers: { authorization: `Bearer ${alice.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "Vegetarian, window seats" }),
    });
    expect(response.status).toBe(200);
  });

  it("gives a preflight from an unlisted origin no allow-origin", async () => {
    const response = await call("/api/auth/sign-in/email", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("secrets never leave", () => {
  it("keeps passwords and tokens out of every response", async () => {
    const dave = await signUpVerified("Dave");
    const [other] = await sql`select token from session where user_id = ${alice.id} limit 1`;
    const [mine] = await sql`select token from session where user_id = ${dave.id} limit 1`;
    const [passwordRow] = await sql`select password from account where user_id = ${dave.id}`;
    await call(PROTECTED, {
      method: "PUT",
      headers: { ...dave.headers, "content-type": "application/json" },
      body: JSON.stringify({ content: "Quiet hotels" }),
    });
    const bodies: string[] = [];
    for (const path of ["/api/me/export", PROTECTED, "/api/auth/get-session", "/api/auth/list-sessions"]) {
      const response = await call(path, { headers: dave.headers });
      bodies.push(await response.text());
    }
    const everything = bodies.join("\n");
    expect(everything).not.toContain(String(other?.token));
    expect(everything).not.toContain(String(passwordRow?.password));
    expect(everything).not.toMatch(
      /"(password|access_?token|refresh_?token|id_?token|accessToken|refreshToken|idToken)"/i,
    );
    const exported = bodies[0] ?? "";
    expect(exported).not.toContain(String(mine?.token));
  });
});

describe("configuration", () => {
  const production = {
    APP_ENV: "production",
    BETTER_AUTH_URL: "https://mylo.example",
    BETTER_AUTH_SECRET: "a-real-production-secret-0123456789-abcdef",
    MAIL_TRANSPORT: "log",
  };

  it("refuses to start outside local development with a missing or short secret", () => {
    const { BETTER_AUTH_SECRET: _none, ...withoutSecret } = production;
    expect(() => loadConfig(withoutSecret)).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, BETTER_AUTH_SECRET: "short" })).toThrow(/BETTER_AUTH_SECRET/);
    expect(loadConfig({ ...production, BETTER_AUTH_SECRET: "x".repeat(32) }).APP_ENV).toBe("production");
    expect(loadConfig({ APP_ENV: "development" }).APP_ENV).toBe("development");
  });

  it("refuses to start in production with a placeholder or better-auth's built-in secret", () => {
    for (const placeholder of [
      "change-me-to-a-long-random-string-of-32-chars-or-more",
      "better-auth-secret-12345678901234567890",
      "local-development-secret-change-me-0123456789",
    ]) {
      expect(() => loadConfig({ ...production, BETTER_AUTH_SECRET: placeholder }), placeholder).toThrow(
        /BETTER_AUTH_SECRET/,
      );
      // Local runs keep working with them.
      expect(loadConfig({ APP_ENV: "development", BETTER_AUTH_SECRET: placeholder }).APP_ENV).toBe("development");
      expect(loadConfig({ APP_ENV: "test", BETTER_AUTH_SECRET: placeholder }).APP_ENV).toBe("test");
    }
  });

  it("refuses to start in production without a mail transport, unless the log is chosen explicitly", () => {
    const { MAIL_TRANSPORT: _unset, ...withoutTransport } = production;
    // Verification and reset links in the log would let anyone who reads it take over any account.
    expect(() => loadConfig(withoutTransport)).toThrow(ConfigError);
    expect(() => loadConfig(withoutTransport)).toThrow(/MAIL_TRANSPORT/);
    expect(() => loadConfig({ ...withoutTransport, MAIL_TRANSPORT: "resend" })).toThrow(/RESEND_API_KEY/);
    expect(() => loadConfig({ ...withoutTransport, MAIL_TRANSPORT: "pigeon" })).toThrow(/MAIL_TRANSPORT/);
    expect(loadConfig({ ...withoutTransport, MAIL_TRANSPORT: "log" }).MAIL_TRANSPORT).toBe("log");
    expect(loadConfig({ ...withoutTransport, RESEND_API_KEY: "re_live_key" }).MAIL_TRANSPORT).toBe("resend");
    // Local runs keep mailing to the log by default.
    expect(loadConfig({ APP_ENV: "development" }).MAIL_TRANSPORT).toBe("log");
    expect(loadConfig({ APP_ENV: "test" }).MAIL_TRANSPORT).toBe("log");
  });

  it("enables social sign-in only for configured providers", async () => {
    const response = await json(
      "POST",
      "/api/auth/sign-in/social",
      { provider: "github", callbackURL: "/" },
      { "cf-connecting-ip": "198.51.100.3" },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe("mailer", () => {
  it("sends through the HTTP email API with the key and reports failures", async () => {
    const calls: Request[] = [];
    const mailer = createResendMailer({
      apiKey: "re_test_key",
      from: "Mylo <hello@mylo.test>",
      log: createLogger({}, "error"),
      fetch: async (input, init) => {
        calls.push(new Request(input, init));
        return new Response(JSON.stringify({ id: "mail-1" }), { status: 200 });
      },
    });
    await mailer.send({ kind: "verify-email", to: "a@example.test", subject: "Hi", text: "Link", url: "https://x" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer re_test_key");
    expect(await calls[0]?.json()).toMatchObject({
      to: ["a@example.test"],
      subject: "Hi",
      from: "Mylo <hello@mylo.test>",
    });

    const failing = createResendMailer({
      apiKey: "k",
      from: "f@x",
      log: createLogger({}, "error"),
      fetch: async () => new Response("nope", { status: 500 }),
    });
    const errors = (await import("vitest")).vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(failing.send({ kind: "reset-password", to: "b@x", subject: "s", text: "t" })).rejects.toThrow(/500/);
    errors.mockRestore();
  });
});

describe("session refresh on the app's own routes", () => {
  it("reissues a browser's session cookie when the daily refresh extends the session, and only then", async () => {
    const dana = await signUpVerified("Dana");
    const fresh = await call("/api/me", { headers: dana.headers });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.getSetCookie()).toEqual([]);

    // A day later than sign-in, the session is due: better-auth extends its row and reissues the cookie.
    await sql`update session set expires_at = now() + interval '5 days' where user_id = ${dana.id}`;
    const due = await call("/api/me", { headers: dana.headers });
    expect(due.status).toBe(200);
    const reissued = due.headers.getSetCookie().find((cookie) => cookie.includes("session_token="));
    expect(reissued).toMatch(/Max-Age=604800/i);
    expect(reissued).toMatch(/HttpOnly/i);
    // The session behind the cookie is extended (the user has others, from signing up, left alone).
    const [row] = await sql<{ extended: number }[]>`
      select count(*) filter (where expires_at > now() + interval '6 days')::int as extended
      from session where user_id = ${dana.id}`;
    expect(row?.extended).toBe(1);
    // The reissued cookie still opens the session.
    const cookie = `${reissued?.split(";")[0]}`;
    expect((await call("/api/me", { headers: { cookie } })).status).toBe(200);

    // A bearer client is refreshed too, but gets no cookie: its token does not change.
    await sql`update session set expires_at = now() + interval '5 days' where user_id = ${dana.id}`;
    const viaBearer = await call("/api/me", { headers: { authorization: `Bearer ${dana.bearer}` } });
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.headers.getSetCookie()).toEqual([]);
  });
});
