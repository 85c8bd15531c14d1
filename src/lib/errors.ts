/**
 * The closed list of error codes. Services throw AppError with one of these; the HTTP edge maps each
 * code to one status (src/http/error-envelope.ts) and queue consumers read `retryable`.
 */
export const errorCodes = [
  "BAD_REQUEST",
  "VALIDATION_ERROR",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "REAUTHENTICATION_REQUIRED",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "USAGE_LIMIT_EXCEEDED",
  "PLAN_REQUIRED",
  "LIMIT_REACHED",
  "INVALID_SIGNATURE",
  "INTERNAL_ERROR",
  "BAD_GATEWAY",
  "SERVICE_UNAVAILABLE",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppErrorOptions {
  details?: unknown;
  retryable?: boolean;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.headers = options.headers ?? {};
  }
}

export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found`);
