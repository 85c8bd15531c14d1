import type { MiddlewareHandler } from "hono";
import { type BootstrapOptions, withDeps } from "../../bootstrap";
import { createLogger } from "../../lib/log";
import type { AppEnv } from "../types";

/**
 * Bootstraps the request (configuration, logger, dependencies), logs one line per request and releases
 * the database connection after the response (or, for a body that still reads the database, after that
 * body) without delaying it.
 */
export function requestContext(options: BootstrapOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const requestId = c.get("requestId");
    // The error handler logs through the request's logger, so there is one even without a configuration.
    c.set("log", createLogger({ requestId }));
    await withDeps(
      c.env,
      { requestId },
      {
        ...options,
        waitUntil: (promise) => c.executionCtx.waitUntil(promise),
        release: async (dispose) => {
          const reading = c.get("bodyReadsUntil");
          const closing = reading ? reading.then(dispose) : dispose();
          try {
            c.executionCtx.waitUntil(closing);
          } catch {
            await closing;
          }
        },
      },
      async (deps) => {
        c.set("log", deps.log);
        c.set("config", deps.config);
        c.set("deps", deps);
        try {
          await next();
        } finally {
          deps.log.info("request", {
            method: c.req.method,
            path: c.req.path,
            status: c.res.status,
            durationMs: Date.now() - started,
          });
        }
      },
    );
  };
}
