import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, executeRead } from "../../src/db/client";
import { inlinedStatement } from "../../src/db/inline-read";
import { findSessionWithUserByToken } from "../../src/db/queries/auth";
import { listChatsByUser } from "../../src/db/queries/chats";
import { SHORTCUTS, withShortcutsOff } from "../../src/lib/shortcuts";
import { signUpVerified } from "../support/auth";
import { testSql } from "../support/db";

const statements: string[] = [];
const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE, onQuery: (statement) => statements.push(statement) });
const direct = testSql();
afterAll(async () => {
  await handle.close();
  await direct.end();
});

describe("the inline-read guard", () => {
  it("inlines plain values only where the statement has plain text around them", () => {
    expect(inlinedStatement(sql`select ${"abc"}::text as v, ${42} as n, ${true} as b, ${null} as z`)).toBe(
      "select 'abc'::text as v, 42 as n, true as b, null as z",
    );
    // Quoted literals and identifiers elsewhere in the statement are kept as written, quotes and all.
    expect(inlinedStatement(sql`select 'it''s' as "a ""b""", ${"x"} as c`)).toBe(
      `select 'it''s' as "a ""b""", 'x' as c`,
    );
  });

  it("never inlines a value inside a quoted literal, a quoted identifier or a comment", () => {
    const value = "plain";
    const refused = [
      sql`select '${value}' as v`,
      sql`select 'a ${value} b', ${value}`,
      sql`select 'it''s ${value}'`,
      sql`select 1 as "${value}"`,
      sql`select e'\\' ${value}'`,
      sql`select E'${value}'`,
      sql`select 1 -- ${value}`,
      sql`select ${value} -- a comment`,
      sql`select 1 /* ${value} */`,
      sql`select ${value} /* a comment */`,
      sql`select $$${value}$$`,
      sql`select $tag$ ${value} $tag$`,
      sql`select 'unterminated ${value}`,
    ];
    for (const query of refused) expect(inlinedStatement(query)).toBeUndefined();
  });

  it("never inlines a value that is not plain, wherever it stands", () => {
    for (const value of ["x' or '1'='1", "it's", "back\\slash", "two words", "line\nbreak", "--", "/*", -1, 1.5]) {
      const text = inlinedStatement(sql`select ${value}::text as v`);
      if (value === "--") expect(text).toBe("select '--'::text as v");
      else expect(text).toBeUndefined();
    }
    expect(inlinedStatement(sql`select ${new Date(0)} as d`)).toBeUndefined();
  });
});

describe("the inline-read shortcut against Drizzle's own parameterised read", () => {
  it("reads the same rows either way, the hot reads in one simple query when it is on", async () => {
    const traveller = await signUpVerified("Inline");
    const [row] = await direct<{ token: string }[]>`select token from session where user_id = ${traveller.id} limit 1`;
    const token = row?.token ?? "";
    const reads: (() => Promise<unknown>)[] = [
      () => findSessionWithUserByToken(handle.db, token),
      () => listChatsByUser(handle.db, { userId: traveller.id, limit: 5 }),
      () => executeRead(handle.db, sql`select ${"a_b"}::text as value, ${7}::int as n`),
    ];
    for (const read of reads) {
      statements.length = 0;
      const inline = await read();
      expect(statements.join("\n")).not.toContain("$1");
      statements.length = 0;
      const library = await withShortcutsOff(new Set(SHORTCUTS), read);
      expect(statements.join("\n")).toContain("$1");
      expect(inline).toEqual(library);
    }
  });
});
