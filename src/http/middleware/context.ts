import type { MiddlewareHandler } from "hono";
import { createDeps } from "../../deps";
import { loadConfig } from "../../env";
import { createLogger } from "../../lib/log";
import type { AppEnv } from "../types";

/**
 * Checks configuration (once per isolate), builds the request's logger and dependencies, logs one
 * line per request and releases the database connection after the response without delaying it.
 */
export function requestContext(options: { onQuery?: (statement: string) => void } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const requestId = c.get("requestId");
    const base = createLogger({ requestId });
    c.set("log", base);
    const config = loadConfig(c.env);
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
      const closing = deps.dispose();
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        await closing;
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
