import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../types";

/** CORS for the configured origins only; any other origin gets no allow-origin header. */
export function corsForTrustedOrigins(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const trusted = c.get("config").TRUSTED_ORIGINS;
    const handler = cors({
      origin: (origin) => (trusted.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Content-Type", "Authorization", "X-Request-Id"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "set-auth-token"],
      maxAge: 600,
    });
    return handler(c, next);
  };
}
