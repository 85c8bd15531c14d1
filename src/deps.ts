import { createDb, type Db, type DbHandle } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/log";
import { type Auth, createAuth } from "./services/auth/create-auth";
import { createMailer, type Mailer } from "./services/mail/mailer";

/**
 * Per-request (or per-invocation) dependencies. Each is created on first use, so routes that never
 * touch the database (health, docs) open no connection.
 */
export interface Deps {
  readonly env: Env;
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly mailer: Mailer;
  readonly auth: Auth;
  /** Whether anything was opened that dispose() has to release. */
  readonly holdsResources: boolean;
  /** Releases what was opened; safe to call when nothing was. */
  dispose(): Promise<void>;
}

export interface DepsOptions {
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Sees every database statement of this request (tests count round trips with it). */
  onQuery?: (statement: string) => void;
  /** Tests swap in fakes (a capturing mailer, a database pointed elsewhere). */
  overrides?: Partial<Pick<Deps, "mailer">>;
}

export function createDeps(env: Env, config: Config, log: Logger, options: DepsOptions = {}): Deps {
  let handle: DbHandle | undefined;
  let mailer: Mailer | undefined = options.overrides?.mailer;
  let auth: Auth | undefined;
  const deps: Deps = {
    env,
    config,
    log,
    get db() {
      handle ??= createDb({
        HYPERDRIVE: env.HYPERDRIVE,
        DATABASE_URL: config.DATABASE_URL,
        NEON_WS_PROXY: config.NEON_WS_PROXY,
        onQuery: options.onQuery,
      });
      return handle.db;
    },
    get mailer() {
      mailer ??= createMailer(config, log);
      return mailer;
    },
    get auth() {
      auth ??= createAuth({ db: deps.db, config, mailer: deps.mailer, log, waitUntil: options.waitUntil });
      return auth;
    },
    get holdsResources() {
      return handle !== undefined;
    },
    async dispose() {
      const current = handle;
      handle = undefined;
      auth = undefined;
      if (current) {
        await current.close().catch((error: unknown) => log.debug("db.close.failed", { error }));
      }
    },
  };
  return deps;
}
