import type { MiddlewareHandler } from "hono";
import { createDeps } from "../../deps";
import { loadConfig } from "../../env";
import { createLogger } from "../../lib/log";
import type { AppEnv } from "../types";

/**
 * Checks configuration (once per isolate), builds the request's logger and dependencies, logs one
 * line per request and releases the database connection after the response (or, for a body that still
 * reads the database, after that body) without delaying it.
 */
export function requestContext(options: { onQuery?: (statement: string) => void } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const requestId = c.get("requestId");
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(c.env);
    } catch (error) {
      // The error handler logs through the request's logger, so there is one even without a configuration.
      c.set("log", createLogger({ requestId }));
      throw error;
    }
    const log = createLogger({ requestId }, config.LOG_LEVEL);
    c.set("log", log);
    c.set("config", config);
    const deps = createDeps(c.env, config, log, {
      waitUntil: (promise) => c.executionCtx.waitUntil(promise),
      onQuery: options.onQuery,
    });
    c.set("deps", deps);
    try {
      await next();
    } finally {
      if (deps.holdsResources) {
        const reading = c.get("bodyReadsUntil");
        const closing = reading ? reading.then(() => deps.dispose()) : deps.dispose();
        try {
          c.executionCtx.waitUntil(closing);
        } catch {
          await closing;
        }
      }
      log.info("request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Date.now() - started,
      });
    }
  };
}
