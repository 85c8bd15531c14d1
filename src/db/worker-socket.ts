import { connect } from "cloudflare:sockets";
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";

/** The part of a Node socket postgres.js uses, over a Workers TCP socket. */
export interface PostgresSocket extends EventEmitter {
  readyState: "open" | "closed";
  write(data: Uint8Array, callback?: () => void): boolean;
  end(data?: Uint8Array): void;
  destroy(): void;
  pause(): void;
  resume(): void;
}

/**
 * A plain-TCP socket for postgres.js (its `socket` option), used in place of the adapter postgres.js ships
 * for Workers. Every request opens a connection, so its cost is paid on every database route; this one
 * does less per connection: the sockets module is imported once, not per connection; reads are handed on
 * without a copy (each read is a new buffer the runtime does not reuse); and the connection counts as open
 * at once, writes queueing until it is, so postgres.js sends its startup message without waiting for a
 * `connect` event. TLS is not offered: the Hyperdrive binding's connection is plain TCP.
 */
export function workerSocket(options: { host: string[]; port: number[] }): PostgresSocket {
  const raw = connect({ hostname: options.host[0] ?? "localhost", port: options.port[0] ?? 5432 });
  const writer = raw.writable.getWriter();
  const reader = raw.readable.getReader();

  const finish = () => {
    if (socket.readyState === "closed") return;
    socket.readyState = "closed";
    socket.emit("close");
  };
  // Once closed, postgres.js has removed its listeners: a later failure has nobody to tell.
  const fail = (error: unknown) => {
    if (socket.readyState === "closed") return;
    socket.emit("error", error);
    finish();
  };
  const close = () => {
    raw.close().catch(fail);
  };

  const socket: PostgresSocket = Object.assign(new EventEmitter(), {
    readyState: "open" as "open" | "closed",
    write(data: Uint8Array, callback?: () => void) {
      writer.write(data).then(callback, fail);
      return true;
    },
    end(data?: Uint8Array) {
      if (data) writer.write(data).then(close, fail);
      else close();
    },
    destroy: close,
    // Only COPY streams pause the socket; the app does not use them.
    pause() {},
    resume() {},
  });

  raw.closed.then(finish, fail);
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        socket.emit("data", Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    } catch (error) {
      fail(error);
    }
  })();
  return socket;
}
