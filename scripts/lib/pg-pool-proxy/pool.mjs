// The server connections: opened and logged in on demand up to `poolSize`, handed to one client at a time,
// given back without any reset.
import net from "node:net";
import { authenticator, parseTarget } from "./auth.mjs";
import { ServerStatements } from "./statements.mjs";
import { cstring, errorText, FrameReader, int32, PROTOCOL_3 } from "./wire.mjs";

const CONNECT_TIMEOUT_MS = 5000;

/**
 * @param {{ target: string, poolSize: number, onData: (conn) => void, onLost: (conn) => void }} options
 *   `onData` reads a ready connection's messages (`conn.reader`); `onLost` hears of a connection that closed
 *   while a client held it.
 */
export function createServerPool({ target, poolSize, onData, onLost }) {
  const config = parseTarget(target);
  const servers = new Set();
  const idle = [];
  const waiting = [];
  let closed = false;
  // The fault switch for tests: while false, the database behaves as if it had gone away.
  let available = true;
  const pool = {
    /** The ParameterStatus messages of the first connection, which every client is sent at startup. */
    parameterFrames: null,
    servers,
    acquire,
    release,
    setAvailable,
    close,
    stats: () => ({ serverConnections: servers.size, idle: idle.length, waiting: waiting.length }),
  };

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
      /** Sync points sent whose ReadyForQuery has not come back. */
      pending: 0,
      /** The transaction status of the last ReadyForQuery. */
      status: "I",
      /** Extended-protocol messages sent since the last Sync. */
      dirty: false,
      statements: new ServerStatements(),
      /** While set, writes are gathered here and sent as one. */
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
        remove(conn);
      });
      socket.on("data", (chunk) => {
        conn.reader.push(chunk);
        if (conn.ready) return onData(conn);
        try {
          for (const frame of conn.reader.frames(true)) {
            const type = String.fromCharCode(frame[0]);
            if (type === "R") authenticate(frame);
            else if (type === "S") captured.push(Buffer.from(frame));
            else if (type === "E") throw new Error(errorText(frame));
            else if (type === "Z") {
              conn.ready = true;
              socket.setTimeout(0);
              pool.parameterFrames ??= Buffer.concat(captured);
              resolve(conn);
              break;
            }
          }
          if (conn.ready) onData(conn);
        } catch (error) {
          failure = error.message;
          socket.destroy();
        }
      });
    });
  }

  function remove(conn) {
    servers.delete(conn);
    if (idle.includes(conn)) idle.splice(idle.indexOf(conn), 1);
    if (conn.client) onLost(conn);
    // A waiter would otherwise wait for a release that may never come.
    if (!closed && available && waiting.length > 0 && servers.size < poolSize) {
      const waiter = waiting.shift();
      connect().then(waiter.resolve, waiter.reject);
    }
  }

  function acquire() {
    if (closed) return Promise.reject(new Error("the proxy is closed"));
    if (!available) return Promise.reject(new Error("the database is unavailable"));
    for (let conn = idle.pop(); conn; conn = idle.pop()) {
      if (conn.socket.writable) return Promise.resolve(conn);
    }
    if (servers.size < poolSize) return connect();
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  /** Unbinds the connection from its client and hands it to the next waiter, or keeps it idle. */
  function release(conn) {
    if (conn.client) conn.client.server = null;
    conn.client = null;
    if (conn.socket.destroyed) return;
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(conn);
    else idle.push(conn);
  }

  /**
   * The database going away (false) and coming back (true). Going away drops every server connection and
   * makes every acquisition fail at once.
   */
  function setAvailable(value) {
    available = value;
    if (value) return;
    for (const waiter of waiting.splice(0)) waiter.reject(new Error("the database is unavailable"));
    idle.length = 0;
    for (const conn of servers) conn.socket.destroy();
  }

  async function close() {
    closed = true;
    for (const waiter of waiting.splice(0)) waiter.reject(new Error("the proxy is closed"));
    const open = [...servers].map((conn) => conn.socket).filter((socket) => !socket.closed);
    const done = open.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
    for (const socket of open) socket.destroy();
    await Promise.all(done);
  }

  return pool;
}
