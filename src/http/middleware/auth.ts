import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../lib/errors";
import { editResponseHeaders } from "../response-headers";
import type { AppEnv, AuthSession, AuthUser } from "../types";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function resolveUser(c: Context<AppEnv>) {
  const headers = c.req.raw.headers;
  if (!/^bearer\s+/i.test(headers.get("authorization") ?? "") && !headers.has("cookie")) return null;
  // Decided by the credential that found the session: a junk bearer header next to a session cookie
  // must not exempt the cookie from the Origin rule.
  const { found, setCookies, via } = await c.get("deps").auth.api.getSession({ headers });
  if (!found) return null;
  const { user, session } = found;
  return {
    // A browser's session cookie reissued by the daily refresh; bearer clients keep their token.
    setCookies: via === "bearer" ? [] : setCookies,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: user.emailVerified,
      image: user.image ?? null,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    } satisfies AuthUser,
    session: {
      id: session.id,
      createdAt: new Date(session.createdAt),
      expiresAt: session.expiresAt,
      via,
    } satisfies AuthSession,
  };
}

/**
 * Mutations authenticated by cookie must come from a trusted origin: a browser on another site can make
 * the request carry our cookie but cannot forge `Origin`. Bearer tokens are never sent ambiently.
 */
function assertSameOriginForCookieMutation(c: Context<AppEnv>, session: AuthSession) {
  if (session.via !== "cookie" || SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  const config = c.get("config");
  const trusted = new Set(config.TRUSTED_ORIGINS);
  if (config.BETTER_AUTH_URL) trusted.add(new URL(config.BETTER_AUTH_URL).origin);
  if (!origin || !trusted.has(origin)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: the Origin is not trusted");
  }
}

/** 401 unless the caller is signed in; sets `user` and `session`. */
const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const resolved = await resolveUser(c);
  if (!resolved) throw new AppError("UNAUTHORIZED", "Sign in to continue");
  assertSameOriginForCookieMutation(c, resolved.session);
  c.set("user", resolved.user);
  c.set("session", resolved.session);
  await next();
  finishAuthenticated(c, resolved.setCookies);
};

/** Sets `user` and `session` when the caller is signed in; anonymous callers pass through. */
const optionalUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const resolved = await resolveUser(c);
  if (resolved) {
    assertSameOriginForCookieMutation(c, resolved.session);
    c.set("user", resolved.user);
    c.set("session", resolved.session);
  }
  await next();
  if (resolved) finishAuthenticated(c, resolved.setCookies);
};

/**
 * The sign-in check a route's OpenAPI `security` declares: none without requirements, an optional one
 * when an empty requirement (`{}`: anonymous) is among them, otherwise a required one.
 */
export function signInCheckFor(security: RouteConfig["security"]): MiddlewareHandler<AppEnv> | undefined {
  if (!security || security.length === 0) return undefined;
  return security.some((requirement) => Object.keys(requirement).length === 0) ? optionalUser : requireUser;
}

/**
 * `createRoute` with the sign-in check its `security` declares, so that what the API document promises
 * is what the route enforces. The route's own middleware runs first (a route that does not exist in
 * this environment answers 404 before asking anyone to sign in).
 */
export function route<P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(config: R) {
  const check = signInCheckFor(config.security);
  if (!check) return createRoute(config);
  const own = config.middleware === undefined ? [] : [config.middleware].flat();
  return createRoute({ ...config, middleware: [...own, check] } as R);
}

/**
 * Passes on a reissued session cookie, and keeps a signed-in caller's JSON out of shared and browser
 * caches: it is theirs alone, and may outlive their session on a shared machine.
 */
function finishAuthenticated(c: Context<AppEnv>, cookies: string[]) {
  const privateJson =
    !c.res.headers.has("cache-control") && (c.res.headers.get("content-type") ?? "").includes("application/json");
  if (cookies.length === 0 && !privateJson) return;
  editResponseHeaders(c, (headers) => {
    for (const cookie of cookies) headers.append("set-cookie", cookie);
    if (privateJson) headers.set("cache-control", "no-store");
  });
}
