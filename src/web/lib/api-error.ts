/** An error envelope from the API (`{ error: { code, message, requestId, details } }`), or a network failure. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** The connection failed: no answer from the server at all. */
  static offline(cause?: unknown): ApiError {
    const error = new ApiError(0, "OFFLINE", "No connection to Mylo");
    if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
    return error;
  }
}

interface Envelope {
  error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
  code?: unknown;
  message?: unknown;
}

/** Reads an error response into an ApiError; a body that is not the envelope still gives its status. */
export async function readApiError(response: Response): Promise<ApiError> {
  let body: Envelope | undefined;
  try {
    body = (await response.json()) as Envelope;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const code = typeof error?.code === "string" ? error.code : typeof body?.code === "string" ? body.code : "";
  const message =
    typeof error?.message === "string"
      ? error.message
      : typeof body?.message === "string"
        ? body.message
        : response.statusText;
  const requestId =
    typeof error?.requestId === "string" ? error.requestId : (response.headers.get("x-request-id") ?? undefined);
  return new ApiError(response.status, code || `HTTP_${response.status}`, message, error?.details, requestId);
}

/**
 * The AI SDK's chat transport throws a plain Error whose message is the response body; this recovers
 * the envelope from it.
 */
export function fromChatError(error: Error): ApiError {
  if (error instanceof ApiError) return error;
  try {
    const body = JSON.parse(error.message) as Envelope;
    const inner = body.error;
    if (inner && typeof inner.code === "string") {
      return new ApiError(
        statusFor(inner.code),
        inner.code,
        typeof inner.message === "string" ? inner.message : "",
        inner.details,
        typeof inner.requestId === "string" ? inner.requestId : undefined,
      );
    }
  } catch {
    // not JSON: a network failure or a cut stream
  }
  if (error.name === "TypeError" || /fetch|network/i.test(error.message)) return ApiError.offline(error);
  return new ApiError(500, "INTERNAL_ERROR", error.message);
}

/** The status each code is answered with (src/http/error-envelope.ts on the server). */
function statusFor(code: string): number {
  const statuses: Record<string, number> = {
    BAD_REQUEST: 400,
    VALIDATION_ERROR: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    PLAN_REQUIRED: 403,
    LIMIT_REACHED: 403,
    NOT_FOUND: 404,
    METHOD_NOT_ALLOWED: 405,
    CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    RATE_LIMITED: 429,
    USAGE_LIMIT_EXCEEDED: 429,
    SERVICE_UNAVAILABLE: 503,
  };
  return statuses[code] ?? 500;
}
