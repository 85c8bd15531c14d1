import { neonConfig, Pool } from "@neondatabase/serverless";
import { Column, type ExtractTablesWithRelations, is, Name, Param, SQL, StringChunk, Table } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgresJs, PostgresJsDatabase, PostgresJsSession } from "drizzle-orm/postgres-js";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm/relations";
import postgres from "postgres";
import { AppError } from "../lib/errors";
import { shortcutOn } from "../lib/shortcuts";
import * as schema from "./schema";
import { workerSocket } from "./worker-socket";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface DbHandle {
  db: Db;
  driver: "postgres-js" | "neon";
  /** Ends the connection(s); call it through waitUntil once the request is answered. */
  close(): Promise<void>;
}

export interface DbSource {
  HYPERDRIVE?: Hyperdrive;
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
  /** Called with every statement sent (postgres.js path); tests count database round trips with it. */
  onQuery?: (statement: string) => void;
}

/**
 * A client per request or invocation: Workers cannot share sockets across requests, and Hyperdrive
 * already pools connections at the edge, so a small local pool is enough.
 */
export function createDb(source: DbSource): DbHandle {
  if (source.HYPERDRIVE) {
    const onQuery = source.onQuery;
    const debug = onQuery ? (_connection: number, statement: string) => onQuery(statement) : undefined;
    const byHand = shortcutOn("driver");
    const connectionString = source.HYPERDRIVE.connectionString;
    const sql = byHand
      ? postgres(clientOptions(connectionString, { debug }))
      : // `socket` is a documented postgres.js option its type declarations leave out.
        postgres(connectionString, { ...clientSettings, debug, socket: workerSocket } as postgres.Options<
          Record<string, never>
        >);
    return {
      db: byHand ? drizzleOverPostgresJs(sql) : (drizzlePostgresJs({ client: sql, schema }) as unknown as Db),
      driver: "postgres-js",
      close: () => sql.end({ timeout: 5 }),
    };
  }
  if (source.DATABASE_URL) {
    if (source.NEON_WS_PROXY) {
      const proxy = source.NEON_WS_PROXY;
      neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineConnect = false;
    }
    const pool = new Pool({ connectionString: source.DATABASE_URL, max: 5 });
    // An idle client whose socket drops emits on the pool; without a listener that would be an uncaught error.
    pool.on("error", () => {});
    return {
      db: drizzleNeon(pool, { schema }) as unknown as Db,
      driver: "neon",
      close: () => pool.end(),
    };
  }
  throw new AppError("SERVICE_UNAVAILABLE", "No database is configured", { retryable: true });
}

const clientSettings = {
  // One connection per request: each one costs a handshake and CPU to set up, and a request's queries
  // mostly depend on each other. postgres.js pipelines what a request sends at once.
  max: 1,
  // Hyperdrive answers the type lookups itself; skipping them saves a round trip per connection.
  fetch_types: false,
  connect_timeout: 10,
  // The client lives as long as its request or invocation and is ended with it, so idle and lifetime
  // timers would only cost a timer each per connection.
  idle_timeout: 0,
  max_lifetime: 0,
} satisfies postgres.Options<Record<string, never>>;

type ParsedOptions = postgres.Sql["options"];
const parsedByConnectionString = new Map<string, ParsedOptions>();

/**
 * The options of a new client, parsed once per isolate and connection string. postgres.js parses the
 * URL and builds its whole option set for every client, and also creates a second, idle client for
 * logical replication subscriptions; both showed up as a measurable part of every request's CPU time.
 * Handed an already parsed option set (one that has `shared`), it uses it as given; `no_subscribe`
 * leaves the subscription client out (the app never subscribes). What a client writes into its
 * options while it runs (server parameters, retry count) gets a fresh object per client.
 */
function clientOptions(connectionString: string, perClient: { debug?: postgres.Options<never>["debug"] }) {
  let parsed = parsedByConnectionString.get(connectionString);
  if (!parsed) {
    parsed = postgres(connectionString, clientSettings).options;
    // drizzle maps dates and JSON itself: they pass through postgres.js untouched (drizzle's own settings).
    const passThrough = (value: unknown) => value;
    for (const type of [1184, 1082, 1083, 1114, 1182, 1185, 1115, 1231]) {
      parsed.parsers[type] = passThrough;
      parsed.serializers[type] = passThrough;
    }
    parsed.serializers[114] = passThrough;
    parsed.serializers[3802] = passThrough;
    parsedByConnectionString.set(connectionString, parsed);
  }
  return {
    ...parsed,
    ...perClient,
    ...(parsed.ssl ? {} : { socket: workerSocket }),
    parameters: {},
    shared: { retries: 0, typeArrayMap: {} },
    no_subscribe: true,
  } as unknown as postgres.Options<Record<string, never>>;
}

let relationalSchema:
  | { fullSchema: Schema; schema: Record<string, never>; tableNamesMap: Record<string, string> }
  | undefined;

/**
 * What `drizzle(sql, { schema })` from drizzle-orm/postgres-js builds, except that the relational view
 * of the schema is worked out once per isolate instead of once per request (it was a measurable part
 * of every request's CPU time). The driver settings drizzle would apply are in clientOptions.
 */
function drizzleOverPostgresJs(sql: postgres.Sql): Db {
  if (!relationalSchema) {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    relationalSchema = {
      fullSchema: schema,
      schema: tables.tables as Record<string, never>,
      tableNamesMap: tables.tableNamesMap,
    };
  }
  const dialect = new PgDialect();
  const session = new PostgresJsSession(sql, dialect, relationalSchema as never, {});
  const db = new PostgresJsDatabase(dialect, session, relationalSchema as never);
  return Object.assign(db, { $client: sql, $cache: undefined }) as unknown as Db;
}

const inlineDialect = new PgDialect();

/**
 * Letters, digits and `_ . : + -` only: such a value cannot end or escape a quoted SQL literal, whatever
 * the server's string settings. Ids, tokens and ISO timestamps are plain.
 */
const PLAIN_TEXT = /^[\w.:+-]*$/;

/**
 * Whether every value in `query` is plain: null, a boolean, a non-negative integer (a minus sign would
 * bind looser than a cast written after the value) or plain text.
 */
function hasOnlyPlainValues(query: SQL): boolean {
  const plainValue = (value: unknown) =>
    value === null ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) ||
    (typeof value === "string" && PLAIN_TEXT.test(value));
  const visit = (chunk: unknown): boolean => {
    if (is(chunk, SQL)) return chunk.queryChunks.every(visit);
    if (is(chunk, Param)) return plainValue(chunk.value);
    if (Array.isArray(chunk)) return chunk.every(visit);
    if (is(chunk, StringChunk) || is(chunk, Column) || is(chunk, Table) || is(chunk, Name)) return true;
    return plainValue(chunk);
  };
  return visit(query);
}

/**
 * Runs a read in one round trip when it can: with every value plain, the values are written into the
 * statement as literals (Drizzle's own inlining) and it goes over the simple query protocol, one message
 * and one answer. A parameterised statement on a new postgres.js connection takes two, as postgres.js
 * asks the server for the parameter types before it binds, and every request here has a new connection.
 * Any other value, the Neon driver or an open transaction: the statement is sent with parameters.
 * Rows come back keyed by column name, with values as the driver parses them.
 */
export async function executeRead<T = Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const client = (db as { $client?: Partial<postgres.Sql> }).$client;
  if (
    typeof client?.unsafe === "function" &&
    shortcutOn("inline-read") &&
    !isTransaction(db) &&
    hasOnlyPlainValues(query)
  ) {
    const { sql: text } = inlineDialect.sqlToQuery(query.inlineParams());
    return Array.from(await client.unsafe(text).simple()) as unknown as T[];
  }
  return rowsOf<T>(await db.execute(query));
}

/** postgres.js returns the rows array itself; the Neon driver returns `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Runs `fn` in a transaction, or inside the caller's transaction when one is already open. */
export async function withTransaction<T>(db: Queryable, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isTransaction(db)) return fn(db);
  return (db as Db).transaction(fn);
}

function isTransaction(db: Queryable): db is Tx {
  return typeof (db as Tx).rollback === "function";
}
