import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../types";

/** Caps every request body; routes may set a tighter cap of their own. */
export function limitBody(maxBytes?: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const maxSize = maxBytes ?? c.get("config").MAX_BODY_BYTES;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxSize} bytes`);
      },
    })(c, next);
  };
}
