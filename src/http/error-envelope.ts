import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorCode, errorCodes } from "../lib/errors";
import type { AppEnv } from "./types";

export const statusByCode: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  REAUTHENTICATION_REQUIRED: 403,
  PLAN_REQUIRED: 403,
  LIMIT_REACHED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  USAGE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
};

const codes: Partial<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
};

/**
 * The envelope's code for an error status a library answered with (Hono's HTTPException, better-auth's
 * responses): its own code where there is one, otherwise BAD_REQUEST below 500 and INTERNAL_ERROR above.
 */
export function codeByStatus(status: number): ErrorCode {
  return codes[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
}

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export const UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Try again shortly.";
export const UNAVAILABLE_RETRY_AFTER = "5";

export const GENERIC_500 = "Something went wrong on our side. Quote the request id if you contact support.";

/** Postgres connection failures: the database is down or unreachable, which is a 503, not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|CONNECT_TIMEOUT|CONNECTION_|57P0|08)/.test(code)
    ) {
      return true;
    }
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === "string" &&
      /connect(ion)? (refused|timeout|timed out|ended|closed)|network connection lost/i.test(message)
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Postgres refuses some characters a client can send in valid JSON, such as U+0000 in text (22021) or in
 * jsonb (22P05). The statement fails before anything is stored, so the request is the problem: a 400.
 */
function isUnstorableCharacter(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "22021" || code === "22P05") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Turns anything thrown into the one envelope. 5xx replies carry a generic message; the log has the cause. */
export function toErrorResponse(c: Context<AppEnv>, error: unknown): Response {
  const requestId = c.get("requestId") ?? "unknown";
  let status: ContentfulStatusCode;
  let body: ErrorEnvelope["error"];
  const headers: Record<string, string> = {};

  if (error instanceof AppError) {
    status = statusByCode[error.code];
    body = { code: error.code, message: error.message, requestId };
    if (error.details !== undefined) body.details = error.details;
    Object.assign(headers, error.headers);
  } else if (error instanceof HTTPException) {
    status = error.status as ContentfulStatusCode;
    const code = codeByStatus(status);
    body = { code, message: status >= 500 ? GENERIC_500 : error.message || code, requestId };
  } else if (isUnstorableCharacter(error)) {
    status = 400;
    body = {
      code: "BAD_REQUEST",
      message: "The request contains a character that cannot be stored (such as U+0000)",
      requestId,
    };
  } else if (isDatabaseUnavailable(error)) {
    status = 503;
    body = { code: "SERVICE_UNAVAILABLE", message: UNAVAILABLE_MESSAGE, requestId };
    headers["Retry-After"] = UNAVAILABLE_RETRY_AFTER;
  } else {
    status = 500;
    body = { code: "INTERNAL_ERROR", message: GENERIC_500, requestId };
  }

  if (status >= 500) {
    c.get("log")?.error("request.failed", { error, status });
  }
  return c.json({ error: body }, status, headers);
}
