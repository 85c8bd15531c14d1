// A local stand-in for Cloudflare Hyperdrive: a Postgres wire-protocol proxy that pools server connections in
// transaction mode (like pgbouncer `pool_mode=transaction`), so a Worker request that opens a new connection pays
// for a loopback handshake answered here instead of a new Postgres backend. Its parts, under pg-pool-proxy/:
// wire.mjs (framing and messages), auth.mjs (logging in to the database), pool.mjs (the server connections),
// statements.mjs (named prepared statements shared across them); this file serves the clients.
//
// What clients can rely on (as with Hyperdrive): anything inside one transaction, or one implicit transaction,
// runs on one server connection. Nothing else is kept: session-level SET, LISTEN, advisory locks, temporary tables
// and SQL-level PREPARE/DEALLOCATE/DISCARD are not supported. Server connections are returned to the pool without
// any reset (fast; clients must not leave session state behind). Named protocol-level prepared statements (the
// postgres.js default) do work (statements.mjs; Postgres replans them by itself after schema changes, and a change
// of a statement's result columns fails it once, after which every statement is prepared again). Startup
// parameters sent by clients (application_name, options, ...) are ignored, and CancelRequest is not supported.
//
// Authentication: every client is accepted whatever its user, password or database, and routed to `target`. That is
// only acceptable because the proxy is for local development and listens on loopback.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { createServerPool } from "./pg-pool-proxy/pool.mjs";
import {
  ERROR_RESPONSE,
  errorCode,
  errorResponse,
  FrameReader,
  GSSENC_REQUEST,
  int32,
  message,
  PROTOCOL_3,
  READY_FOR_QUERY,
  SSL_REQUEST,
  TERMINATE,
} from "./pg-pool-proxy/wire.mjs";

/** SQLSTATE of "cached plan must not change result type": a prepared statement outlived a schema change. */
const STALE_PLAN = "0A000";

/**
 * @param {{ target: string, poolSize?: number, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void>,
 *   setUpstreamAvailable: (available: boolean) => void,
 *   stats: () => { clients: number, serverConnections: number, idle: number, waiting: number } }>}
 */
export async function startPoolProxy({ target, poolSize = 10, host = "127.0.0.1", port = 0 }) {
  const clients = new Set();
  const sockets = new Set();
  let startupReply = null;
  let closed = false;
  const pool = createServerPool({
    target,
    poolSize,
    onData: fromServer,
    onLost: (conn) => fail(conn.client, "08006", "server connection lost"),
  });

  const isIdle = (conn) => conn.pending === 0 && conn.status === "I" && !conn.dirty;

  /**
   * Server → client. Each sync point (Query, Sync, FunctionCall) gets exactly one ReadyForQuery; once all have
   * arrived outside a transaction, the connection goes back to the pool.
   */
  function fromServer(conn) {
    let client = conn.client;
    // What goes to the client is gathered and written once: a write costs far more than its bytes.
    let out = [];
    const flush = () => {
      if (client && out.length > 0) client.socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
      out = [];
    };
    for (const received of conn.reader.frames(true)) {
      const type = received[0];
      // A migration changed what a kept statement returns: every server connection prepares its statements
      // again from now on, so only the statement that met the change fails.
      if (type === ERROR_RESPONSE && errorCode(received) === STALE_PLAN)
        for (const server of pool.servers) server.statements.forgetAll();
      const frame = conn.statements.fromServer(received);
      if (!frame) continue;
      out.push(frame);
      if (type !== READY_FOR_QUERY) continue;
      conn.pending = Math.max(0, conn.pending - 1);
      conn.status = String.fromCharCode(frame[5]);
      if (client && isIdle(conn)) {
        flush();
        client = null;
        pool.release(conn);
      }
    }
    flush();
  }

  /** Client → server, with the client's statement names translated to the pool-wide ones. */
  function toServer(client, conn, frame) {
    const type = String.fromCharCode(frame[0]);
    const translated = conn.statements.toServer(client.statements, frame, (bytes) => toSocket(conn, bytes));
    if (type === "Q" || type === "S" || type === "F") {
      conn.pending++;
      conn.statements.syncSent();
    }
    // Extended-protocol messages hold the connection until their Sync, even if an earlier ReadyForQuery arrives.
    if (type === "S") conn.dirty = false;
    else if ("PBDECH".includes(type)) conn.dirty = true;
    if (translated) toSocket(conn, translated);
  }

  /** Queues bytes for the server connection; flushClient writes what a batch of client messages made at once. */
  function toSocket(conn, bytes) {
    if (conn.outgoing) conn.outgoing.push(bytes);
    else conn.socket.write(bytes);
  }

  function flushClient(client) {
    const conn = client.server;
    conn.outgoing = [];
    for (const frame of client.queue) toServer(client, conn, frame);
    client.queue = [];
    const outgoing = conn.outgoing;
    conn.outgoing = null;
    if (outgoing.length > 0) conn.socket.write(outgoing.length === 1 ? outgoing[0] : Buffer.concat(outgoing));
  }

  function attach(client) {
    client.acquiring = true;
    pool.acquire().then(
      (conn) => {
        client.acquiring = false;
        if (client.closed) return pool.release(conn);
        // It may have died between being handed over and now, when nobody was bound to be told.
        if (conn.socket.destroyed) return attach(client);
        conn.client = client;
        client.server = conn;
        flushClient(client);
        if (client.terminating) closeClient(client);
      },
      (error) => fail(client, "08001", "could not connect to the database", error.message),
    );
  }

  function answerStartup(client, frame) {
    const code = frame.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) return client.socket.write("N");
    if (code >> 16 !== PROTOCOL_3) return closeClient(client);
    client.phase = "authenticating";
    // Every client gets the ParameterStatus messages of the first real connection. With no server connection
    // alive (first client, or the database went away), open one first so that an unreachable database fails the
    // client's connection attempt, as it would without the proxy, rather than its first query.
    const parameters =
      pool.parameterFrames && pool.servers.size > 0 ? Promise.resolve() : pool.acquire().then(pool.release);
    parameters.then(
      () => {
        if (client.closed) return;
        // The same reply for every client (cancel requests are not supported, so one key serves all).
        startupReply ??= Buffer.concat([
          message("R", int32(0)),
          pool.parameterFrames,
          message("K", randomBytes(8)),
          message("Z", Buffer.from("I")),
        ]);
        client.socket.write(
          (code & 0xffff) > 0 ? Buffer.concat([message("v", int32(0), int32(0)), startupReply]) : startupReply,
        );
        client.phase = "ready";
        pumpClient(client);
      },
      (error) => fail(client, "08001", "could not connect to the database", error.message),
    );
  }

  function pumpClient(client) {
    try {
      const reading = !client.closed && !client.terminating && client.phase !== "authenticating";
      for (const frame of reading ? client.reader.frames(client.phase === "ready") : []) {
        if (client.phase === "startup") answerStartup(client, frame);
        else if (frame[0] === TERMINATE) client.terminating = true;
        else client.queue.push(frame);
        if (client.closed || client.terminating || client.phase === "authenticating") break;
      }
      if (client.closed || client.queue.length === 0) {
        if (client.terminating && !client.acquiring) closeClient(client);
      } else if (client.server) {
        flushClient(client);
        if (client.terminating) closeClient(client);
      } else if (!client.acquiring) attach(client);
    } catch {
      client.socket.destroy();
    }
  }

  function fail(client, code, text, detail) {
    if (client.closed) return;
    client.socket.write(errorResponse(code, text, detail));
    closeClient(client);
  }

  function closeClient(client) {
    if (client.closed) return;
    client.closed = true;
    clients.delete(client);
    const conn = client.server;
    client.server = null;
    if (conn) {
      conn.client = null;
      // A connection mid-transaction or with answers still due cannot be handed to anyone else.
      if (isIdle(conn)) pool.release(conn);
      else conn.socket.destroy();
    }
    client.socket.end();
  }

  const listener = net.createServer((socket) => {
    if (closed) return socket.destroy();
    sockets.add(socket);
    socket.setNoDelay(true);
    const client = {
      socket,
      reader: new FrameReader(),
      phase: "startup",
      server: null,
      queue: [],
      statements: new Map(),
      acquiring: false,
      terminating: false,
      closed: false,
    };
    clients.add(client);
    socket.on("data", (chunk) => {
      client.reader.push(chunk);
      pumpClient(client);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      closeClient(client);
    });
  });
  await new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(port, host, resolve);
  });
  const address = listener.address();
  const url = new URL(target);
  url.hostname = host.includes(":") ? `[${host}]` : host;
  url.port = String(address.port);

  return {
    url: url.toString(),
    port: address.port,
    /**
     * Simulates the database going away (false) and coming back (true): a client bound to a server connection
     * then gets 08006, and every new one 08001 at once.
     */
    setUpstreamAvailable: pool.setAvailable,
    stats: () => ({ clients: clients.size, ...pool.stats() }),
    async close() {
      closed = true;
      const open = [...sockets].filter((socket) => !socket.closed);
      const done = open.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
      done.push(new Promise((resolve) => listener.close(() => resolve())));
      for (const socket of open) socket.destroy();
      done.push(pool.close());
      await Promise.all(done);
    },
  };
}
