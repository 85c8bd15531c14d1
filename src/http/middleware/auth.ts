import type { Context, MiddlewareHandler } from "hono";
import type { SessionCompanion } from "../../db/queries/auth";
import { AppError } from "../../lib/errors";
import { shortcutOn } from "../../lib/shortcuts";
import { editResponseHeaders } from "../response-headers";
import type { AppEnv } from "../types";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuthSession {
  id: string;
  /** When the caller signed in (a refresh extends `expiresAt`, never this). */
  createdAt: Date;
  expiresAt: Date;
  /** How the caller authenticated: a session cookie (browsers) or a signed bearer token (API clients). */
  via: "cookie" | "bearer";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function resolveUser(c: Context<AppEnv>, companion?: SessionCompanion) {
  const headers = c.req.raw.headers;
  if (!/^bearer\s+/i.test(headers.get("authorization") ?? "") && !headers.has("cookie")) return null;
  // Decided by the credential that found the session: a junk bearer header next to a session cookie
  // must not exempt the cookie from the Origin rule.
  const { found, setCookies, via } = await c.get("deps").auth.api.getSession({ headers, companion });
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
function assertSameOriginForCookieMutation(c: Parameters<MiddlewareHandler<AppEnv>>[0], session: AuthSession) {
  if (session.via !== "cookie" || SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  const config = c.get("config");
  const trusted = new Set(config.TRUSTED_ORIGINS);
  if (config.BETTER_AUTH_URL) trusted.add(new URL(config.BETTER_AUTH_URL).origin);
  if (!origin || !trusted.has(origin)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: the Origin is not trusted");
  }
}

export interface RequireUserOptions {
  /**
   * A read of the caller's own rows to make in the session lookup's statement, saving the route a
   * round trip; the handler finds it, read, under `alongSession`. Undefined: nothing rides along.
   */
  alongSession?: (c: Context<AppEnv>) => SessionCompanion | undefined;
}

/** 401 unless the caller is signed in; sets `user` and `session` (and `alongSession`, see the options). */
export function requireUser(options: RequireUserOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const companion = shortcutOn("companion") ? options.alongSession?.(c) : undefined;
    const resolved = await resolveUser(c, companion);
    if (!resolved) throw new AppError("UNAUTHORIZED", "Sign in to continue");
    assertSameOriginForCookieMutation(c, resolved.session);
    c.set("user", resolved.user);
    c.set("session", resolved.session);
    if (companion) c.set("alongSession", companion);
    await next();
    finishAuthenticated(c, resolved.setCookies);
  };
}

/** Sets `user` and `session` when the caller is signed in; anonymous callers pass through. */
export function optionalUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const resolved = await resolveUser(c);
    if (resolved) {
      assertSameOriginForCookieMutation(c, resolved.session);
      c.set("user", resolved.user);
      c.set("session", resolved.session);
    }
    await next();
    if (resolved) finishAuthenticated(c, resolved.setCookies);
  };
}

/**
 * Passes on a reissued session cookie, and keeps a signed-in caller's JSON out of shared and browser
 * caches: it is theirs alone, and may outlive their session on a shared machine.
 */
function finishAuthenticated(c: Parameters<MiddlewareHandler<AppEnv>>[0], cookies: string[]) {
  const privateJson =
    !c.res.headers.has("cache-control") && (c.res.headers.get("content-type") ?? "").includes("application/json");
  if (cookies.length === 0 && !privateJson) return;
  editResponseHeaders(c, (headers) => {
    for (const cookie of cookies) headers.append("set-cookie", cookie);
    if (privateJson) headers.set("cache-control", "no-store");
  });
}
