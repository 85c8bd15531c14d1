// The account pages' decisions, apart from the forms so they can be tested in Node.
import { ApiError } from "../../lib/api-error";
import { safeNext } from "../../lib/safe-next";

/** What better-auth's client answers instead of throwing. */
export interface AuthClientError {
  status: number;
  statusText?: string;
  code?: string;
  message?: string;
}

/** Codes whose library wording is not what a traveller should read. */
const clearerMessages: Record<string, string> = {
  EMAIL_NOT_VERIFIED: "Confirm your email address first: open the link we sent you, or send a new one.",
  USER_ALREADY_EXISTS: "An account with this email already exists. Sign in instead, or use another email.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL:
    "An account with this email already exists. Sign in instead, or use another email.",
  INVALID_TOKEN: "This link is invalid or has expired. Ask for a new one.",
  TOKEN_EXPIRED: "This link has expired. Ask for a new one.",
  PASSWORD_TOO_SHORT: "Use at least 8 characters for your password.",
  PASSWORD_TOO_LONG: "Use at most 128 characters for your password.",
};

/**
 * better-auth's error as the app's ApiError, so it reads like every other error (describeError). Its
 * codes are namespaced: some (NOT_FOUND, UNAUTHORIZED) mean something else in the app's own envelope.
 */
export function authError(error: AuthClientError): ApiError {
  if (error.status === 429) return new ApiError(429, "RATE_LIMITED", error.message ?? "Too many requests");
  const code = error.code ?? "";
  const message = clearerMessages[code] ?? error.message ?? error.statusText ?? "";
  return new ApiError(error.status, `AUTH_${code || "ERROR"}`, message);
}

/** Runs a better-auth client call: its data, or an ApiError thrown for its error or a lost connection. */
export async function authCall<T>(call: Promise<{ data: T | null; error: AuthClientError | null }>): Promise<T> {
  let result: { data: T | null; error: AuthClientError | null };
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.offline(cause);
  }
  if (result.error) throw authError(result.error);
  return result.data as T;
}

/** The `next` of the current address, checked: a path on this site, never a way back to sign-in. */
export function nextFrom(search: string): string {
  return safeNext(new URLSearchParams(search).get("next"));
}

/** An account page's address that carries `next` along (and any other parameters given). */
export function authPath(page: string, next: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (next !== "/") params.set("next", next);
  const text = params.toString();
  return text ? `${page}?${text}` : page;
}

/**
 * Where a new account goes. With a session (no verification required) straight to `next`; without one,
 * to the page that says a link is on its way, or, if the server signed nobody in for another reason, to
 * sign in.
 */
export function afterSignUpPath(input: {
  token: string | null | undefined;
  requireEmailVerification: boolean | undefined;
  next: string;
  email: string;
}): string {
  if (input.token) return input.next;
  if (input.requireEmailVerification === false) return authPath("/sign-in", input.next);
  return authPath("/verify-email", input.next, { email: input.email });
}

/**
 * Where the verification link lands: back on the verify page, which sees the now verified session and
 * moves on to `next`, and which can show the error when the link was stale.
 */
export function verificationCallback(next: string): string {
  return authPath("/verify-email", next);
}

export type SocialProvider = "github" | "google";

const socialNames: Record<SocialProvider, string> = { github: "GitHub", google: "Google" };

/** The providers the page knows how to show, in the server's order. */
export function socialProvidersOf(configured: readonly string[] | undefined): SocialProvider[] {
  return (configured ?? []).filter((provider): provider is SocialProvider => Object.hasOwn(socialNames, provider));
}

export function socialLabel(provider: SocialProvider): string {
  return `Continue with ${socialNames[provider]}`;
}

/**
 * The `?error=` better-auth adds when it sends the browser back (a social sign-in, a stale email link),
 * as a sentence; null when there is none.
 */
export function redirectErrorMessage(search: string, kind: "social" | "verify" | "reset"): string | null {
  const code = new URLSearchParams(search).get("error");
  if (!code) return null;
  if (kind === "reset") return "This password reset link is invalid or has expired. Ask for a new one.";
  if (kind === "verify") {
    return ["INVALID_TOKEN", "TOKEN_EXPIRED"].includes(code.toUpperCase())
      ? "This verification link is invalid or has expired. Send a new one below."
      : "Your email could not be confirmed with this link. Send a new one below.";
  }
  const reason = code.replace(/[_-]+/g, " ").toLowerCase();
  return `Signing in with that provider did not work (${reason}). Try again, or use your email and password.`;
}
