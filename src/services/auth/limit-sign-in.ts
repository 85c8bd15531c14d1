import type { Queryable } from "../../db/client";
import { consumeRateLimit, type RateRule, returnRateLimit } from "../../db/queries/rate-limit";

/**
 * Wrong passwords allowed for one account, from any number of client addresses, before its sign-in
 * waits. The window is no longer than the longest of better-auth's own rules (its pruning of the
 * shared table goes by that), so no counter is pruned while it still holds an account back.
 */
export const ACCOUNT_SIGN_IN_RULE: RateRule = { window: 300, max: 10 };

const SIGN_IN_PATH = "/sign-in/email";

/** better-auth's own refusal, so an account held back looks exactly like an address held back. */
function tooManyRequests(retryAfter: number): Response {
  return new Response(JSON.stringify({ message: "Too many requests. Please try again later." }), {
    status: 429,
    headers: { "content-type": "application/json", "x-retry-after": String(retryAfter) },
  });
}

async function signInEmailOf(request: Request, basePath: string): Promise<string | undefined> {
  if (request.method !== "POST" || new URL(request.url).pathname !== `${basePath}${SIGN_IN_PATH}`) return undefined;
  try {
    const body = (await request.clone().json()) as { email?: unknown };
    return typeof body?.email === "string" ? body.email.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The counter's key names the account by a digest of its address, never the address itself, and is
 * the same whether an account exists or not: the refusal reveals nothing about who has an account.
 */
async function accountKey(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email));
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `sign-in-account|${hex}`;
}

/**
 * Runs an email sign-in under a limit per account as well as better-auth's per address, which alone
 * lets a guesser spread over many addresses. Every attempt is counted before the password is checked
 * (so concurrent guesses cannot slip past the limit) and given back when it signs in, or when
 * better-auth's own limiter refused it without checking the password.
 */
export async function limitSignInPerAccount(
  ctx: { db: Queryable; basePath: string },
  request: Request,
  handle: (request: Request) => Promise<Response>,
): Promise<Response> {
  const email = await signInEmailOf(request, ctx.basePath);
  if (email === undefined) return handle(request);
  const key = await accountKey(email);
  const counted = await consumeRateLimit(ctx.db, key, ACCOUNT_SIGN_IN_RULE);
  if (!counted.allowed) return tooManyRequests(counted.retryAfter);
  const response = await handle(request);
  if (response.ok || response.status === 429) await returnRateLimit(ctx.db, key);
  return response;
}
