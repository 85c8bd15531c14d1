import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle, PostgresJsDatabase, PostgresJsSession } from "drizzle-orm/postgres-js";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm/relations";
import postgres from "postgres";
import { shortcutOn } from "../lib/shortcuts";
import * as schema from "./schema";
import { workerSocket } from "./worker-socket";

type Debug = postgres.Options<never>["debug"];
type Schema = typeof schema;
type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Drizzle over a new postgres.js client for one request. Shortcut "driver" (docs/architecture.md): with
 * it on, the client's options and Drizzle's view of the schema are worked out once per isolate and the
 * objects assembled by hand (clientOptions, drizzleOverPostgresJs); off, it is `postgres(url, options)`
 * and `drizzle({ client, schema })`, as the libraries document them.
 */
export function overPostgresJs(connectionString: string, perClient: { debug?: Debug }): { db: Db; sql: postgres.Sql } {
  if (shortcutOn("driver")) {
    const sql = postgres(clientOptions(connectionString, perClient));
    return { db: drizzleOverPostgresJs(sql), sql };
  }
  // `socket` is a documented postgres.js option its type declarations leave out.
  const options = { ...clientSettings, ...perClient, ...leanSocket() } as postgres.Options<Record<string, never>>;
  const sql = postgres(connectionString, options);
  return { db: drizzle({ client: sql, schema }) as unknown as Db, sql };
}

/** The lean Workers socket (a shortcut of its own: off, postgres.js uses the adapter it ships for Workers). */
const leanSocket = () => (shortcutOn("socket") ? { socket: workerSocket } : {});

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
function clientOptions(connectionString: string, perClient: { debug?: Debug }) {
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
    ...(parsed.ssl ? {} : leanSocket()),
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
