import type { z } from "zod";
import { AppError } from "../../lib/errors";

/**
 * Validates a signed payload part. A part that fails throws VALIDATION_ERROR before anything is written;
 * the delivery is then recorded as unprocessable and acknowledged (see receiveWebhook).
 */
export function parseSignedPayload<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION_ERROR", `The ${what} is not valid`, {
      details: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        code: issue.code,
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}
