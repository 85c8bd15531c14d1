import { env } from "cloudflare:workers";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { workerSocket } from "../../src/db/worker-socket";
import { withShortcutsOff } from "../../src/lib/shortcuts";

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<string>((resolve) => setTimeout(() => resolve(`still waiting after ${ms} ms`), ms)),
  ]);

function hyperdriveUrl() {
  if (!env.HYPERDRIVE) throw new Error("the tests run with a Hyperdrive binding");
  return new URL(env.HYPERDRIVE.connectionString);
}

function hyperdriveAddress() {
  const url = hyperdriveUrl();
  return { host: [url.hostname], port: [Number(url.port) || 5432] };
}

/** A StartupMessage (protocol 3.0) for `user` and `database`. */
function startupMessage(user: string, database: string) {
  const body = new TextEncoder().encode(`user\0${user}\0database\0${database}\0\0`);
  const message = new Uint8Array(8 + body.length);
  const view = new DataView(message.buffer);
  view.setInt32(0, message.length);
  view.setInt32(4, 3 << 16);
  message.set(body, 8);
  return message;
}

describe("postgres.js socket for Workers", () => {
  it("is the socket postgres.js gets for a plain Hyperdrive connection", async () => {
    const handle = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    try {
      const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
      expect((client.options as unknown as { socket: unknown }).socket).toBe(workerSocket);
      const [row] = await client`select 41 + 1 as answer`;
      expect(row).toEqual({ answer: 42 });
    } finally {
      // postgres.js waits for the socket's close event: a socket that never reported it would hold this 5 s.
      expect(await within(handle.close(), 3000)).toBeUndefined();
    }
  });

  it("carries the protocol both ways and reports the close once, after the reads", async () => {
    const url = hyperdriveUrl();
    const socket = workerSocket(hyperdriveAddress());
    const events: string[] = [];
    const received: Uint8Array[] = [];
    socket.on("data", (chunk: Uint8Array) => {
      received.push(chunk);
      events.push("data");
    });
    socket.on("error", () => events.push("error"));
    const closed = new Promise<void>((resolve) =>
      socket.on("close", () => {
        events.push("close");
        resolve();
      }),
    );
    const written = new Promise<void>((resolve) =>
      socket.write(startupMessage(decodeURIComponent(url.username), url.pathname.slice(1)), resolve),
    );
    expect(await within(written, 3000)).toBeUndefined();
    // AuthenticationOk … ReadyForQuery: the last message the server sends after a startup is 'Z'.
    const ready = async () => {
      while (!received.some((chunk) => chunk.includes(0x5a))) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    expect(await within(ready(), 3000)).toBeUndefined();
    expect(received[0]?.[0]).toBe(0x52); // 'R', an authentication message
    // Terminate, then close.
    socket.end(new Uint8Array([0x58, 0, 0, 0, 4]));
    expect(await within(closed, 3000)).toBeUndefined();
    expect(socket.readyState).toBe("closed");
    expect(events.filter((event) => event === "close")).toHaveLength(1);
    expect(events).not.toContain("error");
    expect(events.at(-1)).toBe("close");
  });

  it("reports a refused connection as one error then one close", async () => {
    const socket = workerSocket({ host: ["127.0.0.1"], port: [1] });
    const events: string[] = [];
    socket.on("error", () => events.push("error"));
    const closed = new Promise<void>((resolve) =>
      socket.on("close", () => {
        events.push("close");
        resolve();
      }),
    );
    socket.write(new Uint8Array([0, 0, 0, 8, 0, 3, 0, 0]));
    expect(await within(closed, 3000)).toBeUndefined();
    expect(events).toEqual(["error", "close"]);
  });

  it("switched off, leaves postgres.js its own Workers adapter, which reads the same and closes as promptly", async () => {
    const lean = createDb({ HYPERDRIVE: env.HYPERDRIVE });
    const library = withShortcutsOff(new Set(["socket"]), () => createDb({ HYPERDRIVE: env.HYPERDRIVE }));
    try {
      const client = (library.db as unknown as { $client: postgres.Sql }).$client;
      expect((client.options as unknown as { socket?: unknown }).socket).toBeUndefined();
      const query = (sql: postgres.Sql) => sql`select 41 + 1 as answer, 'x'::text || repeat('y', 70000) as long`;
      const [theirs] = await query(client);
      const [mine] = await query((lean.db as unknown as { $client: postgres.Sql }).$client);
      expect(theirs).toEqual(mine);
      expect(theirs?.answer).toBe(42);
    } finally {
      expect(await within(library.close(), 3000)).toBeUndefined();
      expect(await within(lean.close(), 3000)).toBeUndefined();
    }
  });
});
