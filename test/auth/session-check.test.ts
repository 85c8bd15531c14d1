import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/lib/log";
import { SHORTCUTS, withShortcutsOff } from "../../src/lib/shortcuts";
import { authCookiesFor, createAuth, SESSION_DAYS } from "../../src/services/auth/create-auth";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { call } from "../support/http";

const { sql, handle } = useTestDatabase();
const config = loadConfig(env);
let rules: { sessionCookie: string; otherCookies: string[] };
let traveller: SignedInUser;

beforeAll(async () => {
  const cookies = await authCookiesFor(config);
  rules = {
    sessionCookie: cookies.sessionToken.name,
    otherCookies: [cookies.sessionData.name, cookies.dontRememberToken.name],
  };
  traveller = await signUpVerified("Settled");
});

/** better-call's signed cookie value: `token.` and the base64 HMAC-SHA256 of the token, URL-encoded. */
async function signed(token: string, secret = config.BETTER_AUTH_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token));
  return encodeURIComponent(`${token}.${btoa(String.fromCharCode(...new Uint8Array(signature)))}`);
}

/** The same signed value with one character of its signature changed. */
function forge(value: string): string {
  const raw = decodeURIComponent(value);
  const at = raw.lastIndexOf(".") + 5;
  return encodeURIComponent(`${raw.slice(0, at)}${raw[at] === "A" ? "B" : "A"}${raw.slice(at + 1)}`);
}

const cookieOf = (value: string, extra = "") => ({ cookie: `${rules.sessionCookie}=${value}${extra}` });

/** The app's session check (better-auth's get-session, with the app's shortcuts). */
function appCheck(headers: Record<string, string>) {
  const auth = createAuth({ db: handle.db, config, mailer: { send: async () => {} }, log: createLogger() });
  return auth.api.getSession({ headers: new Headers(headers) });
}

/** The same check with every shortcut switched off: better-auth's adapter and bearer plugin alone. */
function libraryCheck(headers: Record<string, string>) {
  return withShortcutsOff(new Set(SHORTCUTS), () => appCheck(headers));
}

/** better-auth's own decision: its get-session endpoint. */
async function betterAuthCheck(headers: Record<string, string>) {
  const response = await call("/api/auth/get-session", { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as { session: { id: string; expiresAt: string }; user: { id: string } } | null;
}

async function newSession(name: string) {
  const user = await signUpVerified(name);
  const [row] = await sql<{ token: string }[]>`select token from session where user_id = ${user.id} limit 1`;
  return { user, token: row?.token ?? "" };
}

describe("the session check", () => {
  it("accepts a live session by cookie or bearer exactly as better-auth does, with nothing written or set", async () => {
    const bearer = { authorization: `Bearer ${traveller.bearer}` };
    for (const headers of [traveller.headers, bearer]) {
      const [before] = await sql<
        { updated_at: Date }[]
      >`select updated_at from session where user_id = ${traveller.id}`;
      const answer = await appCheck(headers);
      const reference = await betterAuthCheck(headers);
      expect(reference?.user.id).toBe(traveller.id);
      expect(answer.found?.user.id).toBe(reference?.user.id);
      expect(answer.found?.session.id).toBe(reference?.session.id);
      expect(answer.found?.session.expiresAt.toISOString()).toBe(reference?.session.expiresAt);
      expect(answer.setCookies).toEqual([]);
      const [after] = await sql<{ updated_at: Date }[]>`select updated_at from session where user_id = ${traveller.id}`;
      expect(after?.updated_at).toEqual(before?.updated_at);
    }
    // And the library's own path, every shortcut off, decides the same.
    const cookie = traveller.headers.cookie ?? "";
    expect((await libraryCheck({ cookie })).found?.session.id).toBe((await appCheck({ cookie })).found?.session.id);
  });

  it("refuses what better-auth refuses: forged, foreign, unsigned, unknown and signed-out tokens", async () => {
    const { user, token } = await newSession("Refused");
    const good = await signed(token);
    const forged = forge(good);
    const signedOut = await newSession("Signed out");
    await sql`delete from session where token = ${signedOut.token}`;
    const cases: Record<string, string>[] = [
      cookieOf(forged),
      cookieOf(await signed(token, "another-secret-0123456789-0123456789-abcdef")),
      cookieOf(token),
      cookieOf(await signed(crypto.randomUUID())),
      cookieOf(await signed(signedOut.token)),
      { authorization: `Bearer ${token}` },
      {},
    ];
    for (const headers of cases) {
      expect((await libraryCheck(headers)).found).toBeNull();
      expect((await appCheck(headers)).found).toBeNull();
      expect(await betterAuthCheck(headers)).toBeNull();
    }
    // The good signature of the same token is accepted, so the cases above fail for their own reason.
    expect((await appCheck(cookieOf(good))).found?.user.id).toBe(user.id);
  });

  it("reads duplicated session cookies as better-auth does: the first one counts", async () => {
    const { user, token } = await newSession("Twice");
    const good = await signed(token);
    const bad = await signed(crypto.randomUUID());
    const first = { cookie: `${rules.sessionCookie}=${good}; ${rules.sessionCookie}=${bad}` };
    const second = { cookie: `${rules.sessionCookie}=${bad}; ${rules.sessionCookie}=${good}` };
    expect((await appCheck(first)).found?.user.id).toBe(user.id);
    expect((await betterAuthCheck(first))?.user.id).toBe(user.id);
    expect((await appCheck(second)).found).toBeNull();
    expect(await betterAuthCheck(second)).toBeNull();
  });

  it("refuses an expired session and deletes it, as better-auth does", async () => {
    const { token } = await newSession("Expired");
    await sql`update session set expires_at = now() - interval '1 second' where token = ${token}`;
    const headers = cookieOf(await signed(token));
    expect((await appCheck(headers)).found).toBeNull();
    expect(await sql`select 1 from session where token = ${token}`).toHaveLength(0);
    expect((await libraryCheck(headers)).found).toBeNull();
  });

  it("extends a session due for its daily refresh and reissues its cookie", async () => {
    const { user, token } = await newSession("Refreshed");
    await sql`update session set expires_at = now() + ${`${SESSION_DAYS * 24 - 25} hours`}::interval where token = ${token}`;
    const headers = cookieOf(await signed(token));
    const answer = await appCheck(headers);
    expect(answer.found?.session.token).toBe(token);
    expect(answer.found?.user.id).toBe(user.id);
    expect(answer.setCookies.some((cookie) => cookie.startsWith(`${rules.sessionCookie}=`))).toBe(true);
    const [row] = await sql<{ expires_at: Date }[]>`select expires_at from session where token = ${token}`;
    expect(row?.expires_at.getTime()).toBeGreaterThan(Date.now() + (SESSION_DAYS * 24 - 1) * 3_600_000);
  });

  it("accepts a session next to the cookies better-auth acts on (cached session data, don't-remember)", async () => {
    const { user, token } = await newSession("Other cookies");
    for (const name of rules.otherCookies) {
      const headers = cookieOf(await signed(token), `; ${name}=anything`);
      expect((await libraryCheck(headers)).found?.user.id).toBe(user.id);
      const answer = await appCheck(headers);
      expect(answer.found?.user.id).toBe(user.id);
      expect((await betterAuthCheck(headers))?.user.id).toBe(user.id);
    }
  });
});
