import { createDeps, type Deps, type DepsOptions } from "./deps";
import { type Config, type Env, loadConfig } from "./env";
import { createLogger } from "./lib/log";

/** How an entry point (fetch, queue, cron, the Durable Object) is wired: tests pass their seams here. */
export interface BootstrapOptions extends Pick<DepsOptions, "onQuery" | "modelOverride" | "overrides"> {
  /**
   * Configuration laid over the checked one for each invocation (tests switch a keyed tool on with a
   * fake provider key). Only the test worker passes it; ignored in production.
   */
  configOverride?: () => Partial<Config> | undefined;
}

export interface ScopeOptions extends BootstrapOptions {
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Hands over the release of what the invocation opened; awaited. The default releases it before the
   * invocation ends; fetch and queue handlers pass it to waitUntil so the reply is not delayed.
   */
  release?: (dispose: () => Promise<void>) => void | Promise<void>;
}

/**
 * The one bootstrap of every entry point: checks configuration (once per isolate), builds the logger
 * (with `fields` on every line) and the invocation's dependencies, runs `body`, and releases what was
 * opened, whatever `body` did.
 */
export async function withDeps<T>(
  env: Env,
  fields: Record<string, unknown>,
  options: ScopeOptions,
  body: (deps: Deps) => Promise<T>,
): Promise<T> {
  const checked = loadConfig(env);
  const extra = checked.APP_ENV === "production" ? undefined : options.configOverride?.();
  const config = extra ? { ...checked, ...extra } : checked;
  const log = createLogger(fields, config.LOG_LEVEL);
  const deps = createDeps(env, config, log, options);
  try {
    return await body(deps);
  } finally {
    if (deps.holdsResources) {
      const dispose = () => deps.dispose();
      await (options.release ? options.release(dispose) : dispose());
    }
  }
}

/** Release for queue and cron handlers: after the handler, without holding it. */
export const releaseWith =
  (ctx: { waitUntil(promise: Promise<unknown>): void }) =>
  (dispose: () => Promise<void>): void =>
    ctx.waitUntil(dispose());
