import { setRequestCookie } from "better-auth/cookies";
import { bearer } from "better-auth/plugins/bearer";
import { parseCookies } from "better-call";
import { shortcutOn } from "../../lib/shortcuts";

/**
 * Shortcut "bearer" (docs/architecture.md): a signed bearer token handed to better-auth as the session
 * cookie it stands for, done before the call so the bearer plugin's hooks (a second endpoint context and
 * a second signature check) do not run for the session check of every API request. better-auth still
 * verifies the signature when it reads the cookie, so an unsigned or forged token finds no session
 * either way; an unsigned one is left to the plugin, which ignores it. Switched off, the plugin does it all.
 */
export async function bearerAsSessionCookie(headers: Headers, cookieName: () => Promise<string>): Promise<Headers> {
  if (!shortcutOn("bearer")) return headers;
  const authorization = headers.get("authorization") ?? "";
  if (authorization.slice(0, 7).toLowerCase() !== "bearer ") return headers;
  const token = authorization.slice(7).trim();
  if (!token.includes(".")) return headers;
  let value = token;
  if (token.includes("%")) {
    try {
      value = decodeURIComponent(token);
    } catch {
      // kept as sent, as the plugin does
    }
  }
  const converted = new Headers(headers);
  converted.delete("authorization");
  setRequestCookie(converted, await cookieName(), value);
  return converted;
}

/**
 * Signed bearer tokens for API clients (better-auth's bearer plugin). Its after hook copies a session
 * cookie the endpoint set into `set-auth-token` on the HTTP response; the app's own session checks
 * (called without a request) pass on only a browser's reissued cookie, never a token, so with the
 * shortcut on, the hook is skipped there.
 */
export function bearerTokens() {
  const plugin = bearer({ requireSignature: true });
  return {
    ...plugin,
    hooks: {
      ...plugin.hooks,
      after: plugin.hooks.after.map((hook) => ({
        ...hook,
        matcher: (context: Parameters<typeof hook.matcher>[0]) =>
          (context.request !== undefined || !shortcutOn("bearer")) && hook.matcher(context),
      })),
    },
  };
}

/**
 * How the caller authenticated, whichever path handled the bearer token: by bearer when its token names
 * the session that was found (the plugin, like the shortcut, lets a signed token replace the cookie) and
 * no session cookie names it too; a cookie naming the session keeps the cookie's rules (Origin) in force.
 */
export function foundVia(headers: Headers, sessionToken: string | undefined, cookieName: string): "cookie" | "bearer" {
  const authorization = headers.get("authorization") ?? "";
  if (sessionToken === undefined || authorization.slice(0, 7).toLowerCase() !== "bearer ") return "cookie";
  if (tokenOf(authorization.slice(7).trim()) !== sessionToken) return "cookie";
  const cookie = parseCookies(headers.get("cookie") ?? "").get(cookieName);
  return cookie !== undefined && tokenOf(cookie) === sessionToken ? "cookie" : "bearer";
}

/** The session token in a signed value (`token.signature`, possibly URL-encoded). */
function tokenOf(value: string): string {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // kept as sent, as the plugin does
  }
  return decoded.slice(0, decoded.lastIndexOf(".") < 0 ? decoded.length : decoded.lastIndexOf("."));
}
