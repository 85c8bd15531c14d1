export type OutboundErrorCode =
  | "URL_REFUSED"
  | "TOO_MANY_REDIRECTS"
  | "TIMEOUT"
  | "TOO_LARGE"
  | "HTTP_STATUS"
  | "BAD_RESPONSE"
  | "NETWORK"
  | "ABORTED";

/**
 * Every failure of the outbound HTTP client. Messages are safe to show to the model and the user:
 * they never carry response bodies, headers or configured secrets.
 */
export class OutboundRequestError extends Error {
  override readonly name = "OutboundRequestError";
  readonly code: OutboundErrorCode;
  readonly status: number | undefined;

  constructor(code: OutboundErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}

export function isOutboundRequestError(error: unknown): error is OutboundRequestError {
  return error instanceof OutboundRequestError;
}
