import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { editResponseHeaders } from "../response-headers";
import type { AppEnv } from "../types";

/**
 * CORS for the configured origins only; any other origin gets no allow-origin header.
 *
 * Requests without an `Origin` (API clients, servers, the platform) need no CORS headers, and hono's
 * CORS middleware would still build a placeholder response before the route runs and copy it into the
 * route's response afterwards (a measurable share of a small request's CPU time). They only get
 * `Vary: Origin` (the answer to a browser's request differs) and the request id.
 */
export function corsForTrustedOrigins(): MiddlewareHandler<AppEnv> {
  const handlers = new WeakMap<readonly string[], MiddlewareHandler>();
  return async (c, next) => {
    if (!c.req.header("origin")) {
      await next();
      finishWithoutOrigin(c);
      return;
    }
    const trusted = c.get("config").TRUSTED_ORIGINS;
    let handler = handlers.get(trusted);
    if (!handler) {
      handler = cors({
        origin: (origin) => (trusted.includes(origin) ? origin : null),
        credentials: true,
        allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allowHeaders: ["Content-Type", "Authorization", "X-Request-Id"],
        exposeHeaders: ["X-Request-Id", "Retry-After", "set-auth-token"],
        maxAge: 600,
      });
      handlers.set(trusted, handler);
    }
    return handler(c, next);
  };
}

/** Responses the app builds carry the request id already; one passed through whole (better-auth's, a chat stream's) gets it here. */
function finishWithoutOrigin(c: Context<AppEnv>) {
  const requestId = c.get("requestId");
  const needsId = Boolean(requestId) && !c.res.headers.has("x-request-id");
  const needsVary = !/\borigin\b/i.test(c.res.headers.get("vary") ?? "");
  if (!needsId && !needsVary) return;
  editResponseHeaders(c, (headers) => {
    if (needsId) headers.set("x-request-id", requestId);
    if (needsVary) headers.append("vary", "Origin");
  });
}
