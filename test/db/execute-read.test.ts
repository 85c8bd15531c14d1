import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, executeRead } from "../../src/db/client";
import { user } from "../../src/db/schema";

const statements: string[] = [];
const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE, onQuery: (statement) => statements.push(statement) });
afterAll(() => handle.close());

async function readBack(value: unknown) {
  statements.length = 0;
  const rows = await executeRead<{ value: unknown; kind: string }>(
    handle.db,
    sql`select ${value}::text as value, pg_typeof(${value}::text)::text as kind`,
  );
  return { rows, statement: statements.join("\n") };
}

describe("executeRead", () => {
  it("writes plain values into the statement and sends it as one simple query", async () => {
    for (const value of ["abc123", "2026-11-27T00:00:00.000Z", "a_b.c:d+e-f", "--", 42, true]) {
      const { rows, statement } = await readBack(value);
      expect(rows).toEqual([{ value: String(value), kind: "text" }]);
      expect(statement).not.toContain("$1");
    }
  });

  it("sends anything else as a parameter, so it can never change the statement", async () => {
    const hostile = ["x' or '1'='1", "it's", "back\\slash", "semi;colon", "two words", "naïve", "line\nbreak", "$1"];
    for (const value of hostile) {
      const { rows, statement } = await readBack(value);
      expect(rows).toEqual([{ value, kind: "text" }]);
      expect(statement).toContain("select $1::text as value");
    }
    // A hostile value in a real lookup finds nothing, rather than everything.
    const matches = await executeRead(handle.db, sql`select id from ${user} where ${user.email} = ${"' or '1'='1"}`);
    expect(matches).toEqual([]);
  });

  it("keeps negative, fractional and other odd numbers as parameters", async () => {
    for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      statements.length = 0;
      await executeRead(handle.db, sql`select ${value}::text is null as missing`);
      expect(statements.join("\n")).toContain("$1");
    }
  });

  it("uses parameters inside a transaction", async () => {
    await handle.db.transaction(async (tx) => {
      statements.length = 0;
      const rows = await executeRead<{ value: string }>(tx, sql`select ${"plain"}::text as value`);
      expect(rows).toEqual([{ value: "plain" }]);
      expect(statements.join("\n")).toContain("$1");
    });
  });
});
