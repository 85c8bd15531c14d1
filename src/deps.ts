import type { LanguageModel } from "ai";
import { createModelRegistry, type ModelRegistry, type ModelUse } from "./ai/model-registry";
import { createDb, type Db, type DbHandle } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/log";
import type { LookoutRunMessage } from "./queues/lookout-runs.messages";
import { type Auth, createAuth } from "./services/auth/create-auth";
import { createMailer, type Mailer } from "./services/mail/mailer";

/** The chat's Durable Object (typed through the binding, so nothing here imports the object itself). */
export type ChatStreamStub = ReturnType<Env["CHAT_STREAM"]["getByName"]>;

/** The lookout-runs queue producer, typed with the message its consumer parses. */
export type LookoutRunsProducer = Queue<LookoutRunMessage>;

/**
 * Per-request (or per-invocation) dependencies: every capability a handler, job, consumer or the
 * Durable Object uses. Each is created on first use, so routes that never touch the database (health,
 * docs) open no connection. Bindings are reached only through these (no raw `env`), and services get a
 * narrow context built from them, never `Deps` itself.
 */
export interface Deps {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly mailer: Mailer;
  readonly auth: Auth;
  readonly models: ModelRegistry;
  readonly lookoutRuns: LookoutRunsProducer;
  /** The client of one chat's Durable Object (one instance per chat id). */
  chatStream(chatId: string): ChatStreamStub;
  /** Whether anything was opened that dispose() has to release. */
  readonly holdsResources: boolean;
  /** Releases what was opened; safe to call when nothing was. */
  dispose(): Promise<void>;
}

export interface DepsOptions {
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Sees every database statement of this request (tests count round trips with it). */
  onQuery?: (statement: string) => void;
  /** Tests swap in fakes (a capturing mailer). */
  overrides?: Partial<Pick<Deps, "mailer">>;
  /** The model seam: tests install a mock model here (see ModelRegistryOptions.override). */
  modelOverride?: (use: ModelUse) => LanguageModel | undefined;
}

export function createDeps(env: Env, config: Config, log: Logger, options: DepsOptions = {}): Deps {
  let handle: DbHandle | undefined;
  let mailer: Mailer | undefined = options.overrides?.mailer;
  let auth: Auth | undefined;
  let models: ModelRegistry | undefined;
  const deps: Deps = {
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
    get models() {
      models ??= createModelRegistry({ config, env, override: options.modelOverride });
      return models;
    },
    lookoutRuns: env.LOOKOUT_RUNS as LookoutRunsProducer,
    chatStream: (chatId) => env.CHAT_STREAM.getByName(chatId),
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
