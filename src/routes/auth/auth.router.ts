import { type Context, Hono } from "hono";
import { pingDatabase } from "../../db/queries/system";
import {
  codeByStatus,
  GENERIC_500,
  isDatabaseUnavailable,
  UNAVAILABLE_MESSAGE,
  UNAVAILABLE_RETRY_AFTER,
} from "../../http/error-envelope";
import type { AppEnv } from "../../http/types";
import type { ErrorCode } from "../../lib/errors";

/**
 * better-auth answers every internal failure with a bare 500 and keeps the cause to itself. A failed ping
 * tells a database outage (503, worth retrying) apart from a bug.
 */
async function databaseUnreachable(c: Context<AppEnv>): Promise<boolean> {
  try {
    await pingDatabase(c.get("deps").db);
    return false;
  } catch (error) {
    return isDatabaseUnavailable(error);
  }
}

/**
 * better-auth's endpoints at /api/auth/*. Its error bodies are rewritten into the one envelope while
 * keeping its top-level `code` and `message`, which its client reads; 429s gain a standard Retry-After.
 */
export const authRouter = new Hono<AppEnv>().on(["GET", "POST"], "/api/auth/*", async (c) => {
  const response = await c.get("deps").auth.handler(c.req.raw);
  if (response.status < 400) return response;

  const headers = new Headers(response.headers);
  const retryAfter = headers.get("x-retry-after");
  if (response.status === 429 && retryAfter) headers.set("retry-after", retryAfter);
  const text = await response.text();
  let original: { code?: unknown; message?: unknown } = {};
  try {
    original = text ? (JSON.parse(text) as typeof original) : {};
  } catch {
    original = { message: text };
  }
  const unavailable = response.status >= 500 && (await databaseUnreachable(c));
  const status = unavailable ? 503 : Math.min(response.status, 500);
  const code: ErrorCode = codeByStatus(status);
  const message = unavailable
    ? UNAVAILABLE_MESSAGE
    : status >= 500
      ? GENERIC_500
      : typeof original.message === "string" && original.message
        ? original.message
        : code;
  const authCode = typeof original.code === "string" ? original.code : undefined;
  if (unavailable) headers.set("retry-after", UNAVAILABLE_RETRY_AFTER);
  if (status >= 500) c.get("log").error("auth.failed", { status: response.status, detail: text.slice(0, 500) });
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  const body = {
    error: { code, message, requestId: c.get("requestId"), ...(authCode ? { details: { authCode } } : {}) },
    code: authCode ?? code,
    message,
  };
  return new Response(JSON.stringify(body), { status, headers });
});
