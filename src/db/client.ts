import { neonConfig, Pool } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import { AppError } from "../lib/errors";
import { readInline } from "./inline-read";
import { overPostgresJs } from "./postgres-js";
import * as schema from "./schema";

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
    const { db, sql } = overPostgresJs(source.HYPERDRIVE.connectionString, {
      debug: onQuery ? (_connection: number, statement: string) => onQuery(statement) : undefined,
    });
    return {
      db,
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

/**
 * The rows of a read, keyed by column name with values as the driver parses them: in one round trip
 * when it can go inline (see inline-read.ts: postgres.js, outside a transaction, plain values only),
 * otherwise sent with parameters.
 */
export async function executeRead<T = Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const client = (db as { $client?: Partial<postgres.Sql> }).$client;
  if (typeof client?.unsafe === "function" && !isTransaction(db)) {
    const rows = await readInline<T>(client as Pick<postgres.Sql, "unsafe">, query);
    if (rows) return rows;
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
