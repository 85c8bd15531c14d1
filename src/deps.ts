import { createDb, type Db, type DbHandle } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/log";

/**
 * Per-request (or per-invocation) dependencies. The database client is created on first use so
 * routes that never touch the database (health, docs) open no connection.
 */
export interface Deps {
  readonly env: Env;
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  /** Releases what was opened; safe to call when nothing was. */
  dispose(): Promise<void>;
}

export function createDeps(env: Env, config: Config, log: Logger): Deps {
  let handle: DbHandle | undefined;
  return {
    env,
    config,
    log,
    get db() {
      handle ??= createDb({
        HYPERDRIVE: env.HYPERDRIVE,
        DATABASE_URL: config.DATABASE_URL,
        NEON_WS_PROXY: config.NEON_WS_PROXY,
      });
      return handle.db;
    },
    async dispose() {
      const current = handle;
      handle = undefined;
      if (current) {
        await current.close().catch((error: unknown) => log.debug("db.close.failed", { error }));
      }
    },
  };
}
