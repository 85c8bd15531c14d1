import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/lib/log";
import { type Shortcut, withShortcutsOff } from "../../src/lib/shortcuts";
import { createAuth } from "../../src/services/auth/create-auth";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { testDb } from "../support/db";

const handle = testDb();
const config = loadConfig(env);
let traveller: SignedInUser;
let other: SignedInUser;

beforeAll(async () => {
  traveller = await signUpVerified("Bearer parity");
  other = await signUpVerified("Bearer other");
});
afterAll(() => handle.close());

/** The app's session check, with `off` switched off; the decision as plain data. */
async function check(headers: Record<string, string>, off: Shortcut[] = []) {
  const auth = createAuth({ db: handle.db, config, mailer: { send: async () => {} }, log: createLogger() });
  const answer = await withShortcutsOff(new Set(off), () => auth.api.getSession({ headers: new Headers(headers) }));
  return {
    user: answer.found?.user.id ?? null,
    session: answer.found?.session.id ?? null,
    via: answer.found ? answer.via : null,
    setCookies: answer.setCookies,
  };
}

/** A signed token with one character of its signature changed. */
function forged(token: string): string {
  const at = token.lastIndexOf(".") + 3;
  return `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
}

describe("the bearer shortcut against better-auth's bearer plugin", () => {
  it("decides every case as the plugin does, for the one-statement lookup and the adapter alike", async () => {
    const raw = traveller.bearer.slice(0, traveller.bearer.lastIndexOf("."));
    const cookie = traveller.headers.cookie ?? "";
    const cases: Record<string, string>[] = [
      { cookie },
      { authorization: `Bearer ${traveller.bearer}` },
      { authorization: `bearer ${encodeURIComponent(traveller.bearer)}` },
      { authorization: `Bearer ${forged(traveller.bearer)}` },
      { authorization: `Bearer ${raw}` },
      { authorization: "Bearer not-a-token", cookie },
      { authorization: `Bearer ${other.bearer}`, cookie },
      { authorization: "Basic dXNlcjpwYXNz", cookie },
    ];
    for (const headers of cases) {
      const mine = await check(headers);
      expect({ headers, ...mine }).toEqual({ headers, ...(await check(headers, ["bearer"])) });
      expect({ headers, ...mine }).toEqual({ headers, ...(await check(headers, ["bearer", "session-lookup"])) });
    }
    expect((await check({ authorization: `Bearer ${traveller.bearer}` })).via).toBe("bearer");
    expect((await check({ authorization: `Bearer ${other.bearer}`, cookie })).user).toBe(other.id);
    expect((await check({ authorization: "Bearer not-a-token", cookie })).via).toBe("cookie");
  });

  it("differs in one case only: a forged token next to a good cookie is refused, where the plugin falls back to the cookie", async () => {
    const headers = { authorization: `Bearer ${forged(traveller.bearer)}`, cookie: traveller.headers.cookie ?? "" };
    expect((await check(headers)).user).toBeNull();
    // The cookie names the session: its rules (the Origin check) stay in force, whatever the bearer says.
    expect(await check(headers, ["bearer"])).toMatchObject({ user: traveller.id, via: "cookie" });
  });

  it("keeps the cookie's rules when a good token and the cookie name the same session", async () => {
    const headers = { authorization: `Bearer ${traveller.bearer}`, cookie: traveller.headers.cookie ?? "" };
    expect(await check(headers)).toMatchObject({ user: traveller.id, via: "cookie" });
    expect(await check(headers, ["bearer"])).toMatchObject({ user: traveller.id, via: "cookie" });
  });
});
