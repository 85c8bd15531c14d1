import { env } from "cloudflare:workers";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { findSessionWithUserByToken } from "../../src/db/queries/auth";
import { account, rateLimit, session, user, verification } from "../../src/db/schema";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";

const { sql, handle } = useTestDatabase();

describe("the session lookup of every authenticated request", () => {
  it("returns exactly what better-auth's Drizzle adapter returns for a session with its user", async () => {
    const traveller = await signUpVerified("Lookup");
    await sql`update session set ip_address = '203.0.113.9', user_agent = null where user_id = ${traveller.id}`;
    const [row] = await sql<{ token: string }[]>`select token from session where user_id = ${traveller.id} limit 1`;
    const token = row?.token ?? "";

    const adapter = drizzleAdapter(handle.db, {
      provider: "pg",
      schema: { user, session, account, verification, rateLimit },
    })({ advanced: { database: { joins: true } } });
    const fromAdapter = await adapter.findOne({
      model: "session",
      where: [{ field: "token", value: token }],
      join: { user: true },
    });

    const fromLookup = await findSessionWithUserByToken(handle.db, token);
    expect(fromAdapter).not.toBeNull();
    expect(fromLookup).toEqual(fromAdapter);
    expect(fromLookup?.user.id).toBe(traveller.id);
    expect(fromLookup?.expiresAt).toBeInstanceOf(Date);
    expect(fromLookup?.user.emailVerified).toBe(true);
    expect(fromLookup?.ipAddress).toBe("203.0.113.9");
    expect(fromLookup?.userAgent).toBeNull();
  });

  it("reads the same through the Neon driver (parameters, rows in `rows`)", async () => {
    const traveller = await signUpVerified("Neon lookup");
    const [row] = await sql<{ token: string }[]>`select token from session where user_id = ${traveller.id} limit 1`;
    const testEnv = env as typeof env & { TEST_DATABASE_URL: string; TEST_NEON_PROXY: string };
    const neon = createDb({ DATABASE_URL: testEnv.TEST_DATABASE_URL, NEON_WS_PROXY: testEnv.TEST_NEON_PROXY });
    try {
      const viaNeon = await findSessionWithUserByToken(neon.db, row?.token ?? "");
      expect(viaNeon).toEqual(await findSessionWithUserByToken(handle.db, row?.token ?? ""));
      expect(viaNeon?.user.id).toBe(traveller.id);
      expect(viaNeon?.createdAt).toBeInstanceOf(Date);
    } finally {
      await neon.close();
    }
  });

  it("finds nothing for an unknown token, whatever it contains", async () => {
    for (const token of ["no-such-token", "' or 1=1 --", ""]) {
      expect(await findSessionWithUserByToken(handle.db, token)).toBeUndefined();
    }
  });
});
