// A local stand-in for Cloudflare Hyperdrive: a Postgres wire-protocol proxy that pools server connections in
// transaction mode (like pgbouncer `pool_mode=transaction`), so a Worker request that opens a new connection pays
// for a loopback handshake answered here instead of a new Postgres backend (~10 ms each).
//
// What clients can rely on (as with Hyperdrive): anything inside one transaction, or one implicit transaction,
// runs on one server connection. Nothing else is kept: session-level SET, LISTEN, advisory locks, temporary tables
// and SQL-level PREPARE/DEALLOCATE/DISCARD are not supported. Server connections are returned to the pool without
// any reset (fast; clients must not leave session state behind). Named protocol-level prepared statements (the
// postgres.js default) do work: each is renamed after a hash of its text and parameter types and prepared on
// whichever server connection needs it, so pooled connections hold one copy per distinct query; a client preparing
// a statement its server connection already holds is answered without Postgres parsing it again (Postgres replans
// it by itself after schema changes; a change of its result columns fails it once, after which every statement is
// prepared again). Startup parameters sent by clients (application_name, options, ...) are ignored, and
// CancelRequest is not supported.
//
// Authentication: every client is accepted whatever its user, password or database, and routed to `target`. That is
// only acceptable because the proxy is for local development and listens on loopback.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 3;
const CONNECT_TIMEOUT_MS = 5000;
const TERMINATE = "X".charCodeAt(0);
const PARSE_COMPLETE = "1".charCodeAt(0);
const CLOSE_COMPLETE = "3".charCodeAt(0);
const READY_FOR_QUERY = "Z".charCodeAt(0);
const STATEMENT = "S".charCodeAt(0);
const ERROR_RESPONSE = "E".charCodeAt(0);
/** SQLSTATE of "cached plan must not change result type": a prepared statement outlived a schema change. */
const STALE_PLAN = "0A000";

/** Splits a byte stream into protocol messages; chunks are joined only when a message is complete. */
class FrameReader {
  #buffer = Buffer.alloc(0);
  #chunks = [];
  #size = 0;

  push(chunk) {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** Yields the complete messages received so far; startup-phase messages have no type byte (`typed` false). */
  *frames(typed) {
    for (let frame = this.#next(typed); frame; frame = this.#next(typed)) yield frame;
  }

  #next(typed) {
    const offset = typed ? 1 : 0;
    if (this.#size < offset + 4) return null;
    this.#gather(offset + 4);
    const length = offset + this.#buffer.readInt32BE(offset);
    if (length < offset + 4) throw new Error("invalid message length");
    if (this.#size < length) return null;
    this.#gather(length);
    const frame = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    this.#size -= length;
    return frame;
  }

  #gather(bytes) {
    if (this.#buffer.length >= bytes) return;
    // Most messages arrive whole in one chunk: take it as it is rather than copying it.
    this.#buffer =
      this.#buffer.length === 0 && this.#chunks.length === 1
        ? this.#chunks[0]
        : Buffer.concat([this.#buffer, ...this.#chunks]);
    this.#chunks = [];
  }
}

const int32 = (value) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const cstring = (...texts) => Buffer.from(texts.map((text) => `${text}\0`).join(""));
const message = (type, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
};
const errorResponse = (code, text, detail) =>
  message("E", cstring("SFATAL", "VFATAL", `C${code}`, `M${text}`, ...(detail ? [`D${detail}`] : []), ""));
const closeStatement = (name) => message("C", Buffer.from("S"), cstring(name));
const closeMissingPortal = message("C", Buffer.from("P"), cstring("pool_proxy_none"));
const parseComplete = message("1");
/** Rebuilds `frame` with the C string between `start` and `end` replaced by `name`. */
const withName = (frame, start, end, name) =>
  message(String.fromCharCode(frame[0]), frame.subarray(5, start), cstring(name), frame.subarray(end + 1));
const newSegment = () => ({ parses: [], closes: [] });

function errorCode(frame) {
  const fields = frame.toString("utf8", 5).split("\0");
  return fields.find((field) => field.startsWith("C"))?.slice(1);
}

function errorText(frame) {
  const fields = frame.toString("utf8", 5).split("\0");
  return (fields.find((field) => field.startsWith("M")) ?? "Mserver error").slice(1);
}

function parseTarget(target) {
  const url = new URL(target);
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port) || 5432,
    user,
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || user,
  };
}

/** Answers the server's authentication requests ('R' messages); `send` writes the replies. */
function authenticator({ user, password }, send) {
  const hmac = (key, text) => createHmac("sha256", key).update(text).digest();
  const md5 = (data) => createHash("md5").update(data).digest("hex");
  let clientFirstBare;
  let nonce;
  let serverSignature;
  return (frame) => {
    const code = frame.readInt32BE(5);
    const text = frame.toString("utf8", 9);
    if (code === 0) return;
    if (code === 3) return send(message("p", cstring(password)));
    if (code === 5) {
      const salt = frame.subarray(9, 13);
      return send(message("p", cstring(`md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`)));
    }
    if (code === 10) {
      if (!text.split("\0").includes("SCRAM-SHA-256")) throw new Error("server offers no supported SASL mechanism");
      nonce = randomBytes(18).toString("base64");
      clientFirstBare = `n=*,r=${nonce}`;
      const first = Buffer.from(`n,,${clientFirstBare}`);
      return send(message("p", cstring("SCRAM-SHA-256"), int32(first.length), first));
    }
    const attributes = Object.fromEntries(text.split(",").map((pair) => [pair[0], pair.slice(2)]));
    if (code === 11) {
      if (!attributes.r?.startsWith(nonce)) throw new Error("SCRAM: server nonce does not extend ours");
      const salted = pbkdf2Sync(password, Buffer.from(attributes.s, "base64"), Number(attributes.i), 32, "sha256");
      const clientKey = hmac(salted, "Client Key");
      const withoutProof = `c=biws,r=${attributes.r}`;
      const authMessage = `${clientFirstBare},${text},${withoutProof}`;
      const signature = hmac(createHash("sha256").update(clientKey).digest(), authMessage);
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
      serverSignature = hmac(hmac(salted, "Server Key"), authMessage).toString("base64");
      return send(message("p", Buffer.from(`${withoutProof},p=${proof.toString("base64")}`)));
    }
    if (code === 12) {
      if (attributes.v !== serverSignature) throw new Error("SCRAM: server signature mismatch");
      return;
    }
    throw new Error(`unsupported authentication request ${code}`);
  };
}

/**
 * @param {{ target: string, poolSize?: number, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void>,
 *   setUpstreamAvailable: (available: boolean) => void,
 *   stats: () => { clients: number, serverConnections: number, idle: number, waiting: number } }>}
 */
export async function startPoolProxy({ target, poolSize = 10, host = "127.0.0.1", port = 0 }) {
  const config = parseTarget(target);
  const servers = new Set();
  const idle = [];
  const waiting = [];
  const clients = new Set();
  const sockets = new Set();
  let parameterFrames = null;
  let startupReply = null;
  let closed = false;
  // The fault switch for tests: while false, the database behaves as if it had gone away.
  let upstreamAvailable = true;

  const startup = Buffer.concat([
    int32(PROTOCOL_3 << 16),
    cstring("user", config.user, "database", config.database, "client_encoding", "UTF8"),
    cstring("application_name", "pg-pool-proxy", ""),
  ]);

  function connect() {
    const socket = net.connect({ host: config.host, port: config.port });
    const conn = {
      socket,
      reader: new FrameReader(),
      client: null,
      ready: false,
      pending: 0,
      status: "I",
      dirty: false,
      prepared: new Set(),
      segments: [newSegment()],
      outgoing: null,
    };
    servers.add(conn);
    return new Promise((resolve, reject) => {
      let failure = "connection closed during startup";
      const captured = [];
      const authenticate = authenticator(config, (reply) => socket.write(reply));
      socket.setNoDelay(true);
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error("timed out")));
      socket.on("connect", () => socket.write(Buffer.concat([int32(startup.length + 4), startup])));
      socket.on("error", (error) => {
        failure = error.message;
      });
      socket.on("close", () => {
        if (!conn.ready) reject(new Error(failure));
        removeServer(conn);
      });
      socket.on("data", (chunk) => {
        conn.reader.push(chunk);
        if (conn.ready) return fromServer(conn);
        try {
          for (const frame of conn.reader.frames(true)) {
            const type = String.fromCharCode(frame[0]);
            if (type === "R") authenticate(frame);
            else if (type === "S") captured.push(Buffer.from(frame));
            else if (type === "E") throw new Error(errorText(frame));
            else if (type === "Z") {
              conn.ready = true;
              socket.setTimeout(0);
              parameterFrames ??= Buffer.concat(captured);
              resolve(conn);
              break;
            }
          }
          if (conn.ready) fromServer(conn);
        } catch (error) {
          failure = error.message;
          socket.destroy();
        }
      });
    });
  }

  function removeServer(conn) {
    servers.delete(conn);
    if (idle.includes(conn)) idle.splice(idle.indexOf(conn), 1);
    if (conn.client) fail(conn.client, "08006", "server connection lost");
    // A waiter would otherwise wait for a release that may never come.
    if (!closed && upstreamAvailable && waiting.length > 0 && servers.size < poolSize) {
      const waiter = waiting.shift();
      connect().then(waiter.resolve, waiter.reject);
    }
  }

  function acquire() {
    if (closed) return Promise.reject(new Error("the proxy is closed"));
    if (!upstreamAvailable) return Promise.reject(new Error("the database is unavailable"));
    for (let conn = idle.pop(); conn; conn = idle.pop()) {
      if (conn.socket.writable) return Promise.resolve(conn);
    }
    if (servers.size < poolSize) return connect();
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(conn) {
    if (conn.client) conn.client.server = null;
    conn.client = null;
    if (conn.socket.destroyed) return;
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(conn);
    else idle.push(conn);
  }

  const isIdle = (conn) => conn.pending === 0 && conn.status === "I" && !conn.dirty;

  /**
   * Server → client. Each sync point (Query, Sync, FunctionCall) gets exactly one ReadyForQuery; once all have
   * arrived outside a transaction, the connection goes back to the pool. ParseComplete/CloseComplete answers to
   * messages the proxy added itself are dropped; a segment's queues are matched in order because the server
   * answers in order and, after an error, skips to the Sync (the ReadyForQuery discards what was never answered).
   */
  function fromServer(conn) {
    let client = conn.client;
    // What goes to the client is gathered and written once: a write costs far more than its bytes.
    let out = [];
    const flush = () => {
      if (client && out.length > 0) client.socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
      out = [];
    };
    for (const frame of conn.reader.frames(true)) {
      const type = frame[0];
      const segment = conn.segments[0];
      // A migration changed what a kept statement returns: every server connection prepares its statements
      // again from now on (Close, then Parse), so only the statement that met the change fails.
      if (type === ERROR_RESPONSE && errorCode(frame) === STALE_PLAN)
        for (const server of servers) server.prepared.clear();
      if (type === PARSE_COMPLETE && segment.parses.shift()?.swallow) continue;
      if (type === CLOSE_COMPLETE) {
        const close = segment.closes.shift();
        if (close?.swallow) continue;
        if (close?.asParse) {
          out.push(parseComplete);
          continue;
        }
      }
      out.push(frame);
      if (type !== READY_FOR_QUERY) continue;
      for (const parse of conn.segments.shift().parses) conn.prepared.delete(parse.name);
      if (conn.segments.length === 0) conn.segments.push(newSegment());
      conn.pending = Math.max(0, conn.pending - 1);
      conn.status = String.fromCharCode(frame[5]);
      if (client && isIdle(conn)) {
        flush();
        client = null;
        release(conn);
      }
    }
    flush();
  }

  function prepare(conn, segment, serverName, parse, swallow) {
    // Closing first makes re-preparing always succeed, and refreshes a plan made stale by a schema change.
    toSocket(conn, closeStatement(serverName));
    segment.closes.push({ swallow: true });
    toSocket(conn, parse);
    segment.parses.push({ name: serverName, swallow });
    conn.prepared.add(serverName);
  }

  /** Client → server, translating the client's statement names to the pool-wide ones. */
  function toServer(client, conn, original) {
    let frame = original;
    const type = String.fromCharCode(frame[0]);
    const segment = conn.segments.at(-1);
    if (type === "P") {
      const end = frame.indexOf(0, 5);
      const name = frame.toString("utf8", 5, end);
      if (name) {
        const serverName = `pool_${createHash("sha1")
          .update(frame.subarray(end + 1))
          .digest("hex")}`;
        const parse = withName(frame, 5, end, serverName);
        client.statements.set(name, { serverName, parse });
        conn.dirty = true;
        if (conn.prepared.has(serverName)) {
          // Already prepared on this connection (the same text and types): Postgres need not parse and plan
          // it again. A Close of a portal that does not exist stands in for it, so the client's ParseComplete
          // still arrives in order.
          toSocket(conn, closeMissingPortal);
          segment.closes.push({ swallow: false, asParse: true });
          return;
        }
        prepare(conn, segment, serverName, parse, false);
        return;
      }
      segment.parses.push({ name: "", swallow: false });
    } else if (type === "B" || ((type === "D" || type === "C") && frame[5] === STATEMENT)) {
      const start = type === "B" ? frame.indexOf(0, 5) + 1 : 6;
      const end = frame.indexOf(0, start);
      const name = frame.toString("utf8", start, end);
      const statement = name && client.statements.get(name);
      if (statement) {
        if (type === "C") {
          client.statements.delete(name);
          conn.prepared.delete(statement.serverName);
        } else if (!conn.prepared.has(statement.serverName)) {
          prepare(conn, segment, statement.serverName, statement.parse, true);
        }
        frame = withName(frame, start, end, statement.serverName);
      }
    }
    if (type === "C") segment.closes.push({ swallow: false });
    if (type === "Q" || type === "S" || type === "F") {
      conn.pending++;
      conn.segments.push(newSegment());
    }
    // Extended-protocol messages hold the connection until their Sync, even if an earlier ReadyForQuery arrives.
    if (type === "S") conn.dirty = false;
    else if ("PBDECH".includes(type)) conn.dirty = true;
    toSocket(conn, frame);
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
    acquire().then(
      (conn) => {
        client.acquiring = false;
        if (client.closed) return release(conn);
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
    const parameters = parameterFrames && servers.size > 0 ? Promise.resolve() : acquire().then(release);
    parameters.then(
      () => {
        if (client.closed) return;
        // The same reply for every client (cancel requests are not supported, so one key serves all).
        startupReply ??= Buffer.concat([
          message("R", int32(0)),
          parameterFrames,
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
      if (isIdle(conn)) release(conn);
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
     * Simulates the database going away (false) and coming back (true). Going away drops every server
     * connection, so a client bound to one gets 08006, and makes every new acquisition fail at once with 08001.
     */
    setUpstreamAvailable(available) {
      upstreamAvailable = available;
      if (available) return;
      for (const waiter of waiting.splice(0)) waiter.reject(new Error("the database is unavailable"));
      idle.length = 0;
      for (const conn of servers) conn.socket.destroy();
    },
    stats: () => ({
      clients: clients.size,
      serverConnections: servers.size,
      idle: idle.length,
      waiting: waiting.length,
    }),
    async close() {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter.reject(new Error("the proxy is closed"));
      const all = [...sockets, ...[...servers].map((conn) => conn.socket)].filter((socket) => !socket.closed);
      const done = all.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
      done.push(new Promise((resolve) => listener.close(() => resolve())));
      for (const socket of all) socket.destroy();
      await Promise.all(done);
    },
  };
}
