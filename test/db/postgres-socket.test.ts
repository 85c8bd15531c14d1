import { env } from "cloudflare:workers";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { withShortcutsOff } from "../../src/lib/shortcuts";

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<string>((resolve) => setTimeout(() => resolve(`still waiting after ${ms} ms`), ms)),
  ]);

const clientOf = (handle: ReturnType<typeof createDb>) => (handle.db as unknown as { $client: postgres.Sql }).$client;

/** postgres.js over the Workers TCP socket it ships for the runtime (no socket of the app's own). */
describe("postgres.js's own Workers socket", () => {
  it("is what the client uses, with the driver set up by hand or by the library", async () => {
    const byHand = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    const library = withShortcutsOff(new Set(["driver"]), () => createDb({ HYPERDRIVE: env.HYPERDRIVE }));
    try {
      for (const handle of [byHand, library]) {
        expect((clientOf(handle).options as unknown as { socket?: unknown }).socket).toBeUndefined();
      }
      const query = (sql: postgres.Sql) => sql`select 41 + 1 as answer, 'x'::text || repeat('y', 70000) as long`;
      const [mine] = await query(clientOf(byHand));
      const [theirs] = await query(clientOf(library));
      expect(mine).toEqual(theirs);
      expect(mine?.answer).toBe(42);
      expect(String(mine?.long)).toHaveLength(70001);
    } finally {
      // postgres.js waits for the socket's close event: a socket that never reported it would hold this 5 s.
      expect(await within(byHand.close(), 3000)).toBeUndefined();
      expect(await within(library.close(), 3000)).toBeUndefined();
    }
  });

  it("fails a query promptly when the database refuses the connection", async () => {
    const refused = createDb({
      DATABASE_URL: undefined,
      HYPERDRIVE: { connectionString: "postgres://mylo@127.0.0.1:1/mylo" } as Hyperdrive,
    });
    try {
      const outcome = await within(
        clientOf(refused)`select 1`.then(
          () => "answered",
          () => "refused",
        ),
        5000,
      );
      expect(outcome).toBe("refused");
    } finally {
      await within(refused.close(), 3000);
    }
  });
});
