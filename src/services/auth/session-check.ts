import { parseCookies } from "better-call";
import type { Session, User } from "../../db/schema";

/** What the settled case of a session check needs of better-auth's context, read once per isolate. */
export interface SessionRules {
  sessionCookie: string;
  /** Cookies whose presence makes better-auth do more than read (clean up, skip the refresh): left to it. */
  otherCookies: string[];
  /** better-auth's signing key for cookies: HMAC-SHA256 with its secret. */
  key: CryptoKey;
  expiresInSeconds: number;
  updateAgeSeconds: number;
}

export interface BetterAuthContextPart {
  secret: string;
  authCookies: { sessionToken: { name: string }; sessionData: { name: string }; dontRememberToken: { name: string } };
  sessionConfig: { expiresIn: number; updateAge: number };
  options: { session?: object; secondaryStorage?: unknown };
}

interface SessionOptions {
  cookieCache?: { enabled?: boolean };
  deferSessionRefresh?: boolean;
  disableSessionRefresh?: boolean;
}

/**
 * The rules when the settled case can be decided here: sessions live in the database only, with no
 * cookie cache and no deferred or disabled refresh (otherwise undefined, and every check is better-auth's).
 */
export async function sessionRulesOf(context: BetterAuthContextPart): Promise<SessionRules | undefined> {
  const session = context.options.session as SessionOptions | undefined;
  if (session?.cookieCache?.enabled || session?.deferSessionRefresh || session?.disableSessionRefresh) return undefined;
  if (context.options.secondaryStorage) return undefined;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(context.secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return {
    sessionCookie: context.authCookies.sessionToken.name,
    otherCookies: [context.authCookies.sessionData.name, context.authCookies.dontRememberToken.name],
    key,
    expiresInSeconds: context.sessionConfig.expiresIn,
    updateAgeSeconds: context.sessionConfig.updateAge,
  };
}

/**
 * The session check of a request in its settled case, decided exactly as better-auth's get-session
 * decides it, without its endpoint machinery (which cost more CPU than the rest of a signed-in read):
 * a session cookie correctly signed with better-auth's secret (read as better-call reads it), naming
 * a session that exists, has its user and has not expired, and that is not yet due for its daily
 * refresh. Then nothing is written and no cookie is set, by better-auth either. Undefined for every
 * other case (no cookie, a bad signature, an unknown, expired or refresh-due session, a cookie better-auth
 * would clean up): the caller then asks better-auth, which decides, refreshes, deletes and sets cookies
 * as it always does.
 */
export async function settledSession(
  rules: SessionRules,
  headers: Headers,
  find: (token: string) => Promise<(Session & { user: User }) | undefined>,
): Promise<{ session: Session; user: User } | undefined> {
  const header = headers.get("cookie");
  if (!header) return undefined;
  const cookies = parseCookies(header);
  if (rules.otherCookies.some((name) => cookies.has(name))) return undefined;
  const value = cookies.get(rules.sessionCookie);
  if (!value) return undefined;
  const token = await verifiedToken(rules.key, value);
  if (!token) return undefined;
  const found = await find(token);
  if (!found) return undefined;
  const now = Date.now();
  const expiresAt = found.expiresAt.getTime();
  if (expiresAt < now) return undefined;
  if (expiresAt - rules.expiresInSeconds * 1000 + rules.updateAgeSeconds * 1000 <= now) return undefined;
  const { user, ...session } = found;
  return { session, user };
}

/** `token.signature`, as better-call signs cookies: the token when the signature is its HMAC, else undefined. */
async function verifiedToken(key: CryptoKey, value: string): Promise<string | undefined> {
  const dot = value.lastIndexOf(".");
  if (dot < 1) return undefined;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
  const valid = await crypto.subtle.verify("HMAC", key, bytes, new TextEncoder().encode(token));
  return valid ? token : undefined;
}
