import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { user } from "../../src/db/schema";
import { testSql } from "../support/db";

const testEnv = env as typeof env & { TEST_DATABASE_URL: string; TEST_NEON_PROXY: string };

async function roundTrip(handle: ReturnType<typeof createDb>) {
  try {
    const id = `client-${crypto.randomUUID()}`;
    await handle.db.transaction(async (tx) => {
      await tx.insert(user).values({ id, name: "Client Test", email: `${id}@example.test` });
    });
    const rows = await handle.db
      .select({ id: user.id, emailVerified: user.emailVerified })
      .from(user)
      .where(sql`${user.id} = ${id}`);
    await handle.db.delete(user).where(sql`${user.id} = ${id}`);
    return rows;
  } finally {
    await handle.close();
  }
}

describe("database client", () => {
  it("talks to Postgres through Hyperdrive with postgres.js", async () => {
    const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    expect(handle.driver).toBe("postgres-js");
    const rows = await roundTrip(handle);
    expect(rows).toEqual([{ id: expect.stringMatching(/^client-/), emailVerified: false }]);
  });

  it("talks to Postgres with the Neon serverless driver when there is no Hyperdrive", async () => {
    const handle = createDb({ DATABASE_URL: testEnv.TEST_DATABASE_URL, NEON_WS_PROXY: testEnv.TEST_NEON_PROXY });
    expect(handle.driver).toBe("neon");
    const rows = await roundTrip(handle);
    expect(rows).toEqual([{ id: expect.stringMatching(/^client-/), emailVerified: false }]);
  });

  it("parses the connection options once per isolate and gives each client its own run-time state", async () => {
    const first = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    const second = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    type Client = { options: Record<string, unknown> & { parameters: Record<string, string> } };
    const clientOf = (handle: ReturnType<typeof createDb>) => (handle.db as unknown as { $client: Client }).$client;
    try {
      const [a, b] = [clientOf(first), clientOf(second)];
      // The parsed settings are shared (postgres.js used the option set as given rather than parsing it)…
      expect(a.options.serializers).toBe(b.options.serializers);
      expect(a.options).toMatchObject({ max: 1, fetch_types: false, idle_timeout: 0, no_subscribe: true });
      // …while what a client records about its connection is its own.
      expect(a.options.parameters).not.toBe(b.options.parameters);
      expect(a.options.shared).not.toBe(b.options.shared);
      // Both work at once, each over its own connection; the server's parameters land on each client.
      expect((await Promise.all([roundTrip(first), roundTrip(second)])).map((rows) => rows.length)).toEqual([1, 1]);
      expect(a.options.parameters.client_encoding).toBe("UTF8");
      expect(b.options.parameters.client_encoding).toBe("UTF8");
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("rolls a failed transaction back", async () => {
    const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    const id = `rollback-${crypto.randomUUID()}`;
    try {
      await expect(
        handle.db.transaction(async (tx) => {
          await tx.insert(user).values({ id, name: "Rollback", email: `${id}@example.test` });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      const rows = await handle.db.select().from(user).where(sql`${user.id} = ${id}`);
      expect(rows).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it("settles every query of a transaction whose connection dies, rather than throwing from a timer", async () => {
    const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
    const killer = testSql();
    const codeOf = (query: Promise<unknown>) =>
      query.then(
        () => "answered",
        (error: { code?: string }) => error.code ?? "failed",
      );
    // The transaction can fail (its connection killed) before its callback gets past the kill, so the
    // queries made after it are waited for through this, not read from a variable that may not be set yet.
    let started!: (queries: Promise<string[]>) => void;
    const later = new Promise<string[]>((resolve) => {
      started = resolve;
    });
    try {
      const outcome = client.begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await killer`select pg_terminate_backend(${row?.pid ?? 0})`;
        const queries = (async () => {
          const first = await codeOf(tx`select 1`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          // The connection is gone by now: this query must fail, not hang with its write thrown away.
          const second = await codeOf(tx`select 2`);
          return [first, second];
        })();
        started(queries);
        return queries;
      });
      expect(await codeOf(outcome)).not.toBe("answered");
      const settled = await Promise.race([
        later,
        new Promise<string[]>((resolve) => setTimeout(() => resolve(["still waiting after 3 s"]), 3000)),
      ]);
      expect(settled).toHaveLength(2);
      expect(settled[1]).toBe("CONNECTION_CLOSED");
      // Nothing is left in flight, so closing does not wait out the client's 5 s end timeout.
      const closing = await Promise.race([
        handle.close().then(() => "closed"),
        new Promise((resolve) => setTimeout(() => resolve("still closing after 4 s"), 4000)),
      ]);
      expect(closing).toBe("closed");
    } finally {
      await killer.end();
      await handle.close();
    }
  });
});
