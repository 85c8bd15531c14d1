import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";

/**
 * A client's own request id is kept only when it is a short plain token: the id is written into every
 * log line and echoed in headers and error bodies, where a long or odd value (markup, separators, log
 * field lookalikes) has no business.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Sets the request id (the client's when safe, else a new UUID) and the headers every response carries. */
export function requestIdentity(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sent = c.req.header("x-request-id");
    const id = sent !== undefined && SAFE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
    c.set("requestId", id);
    c.header("x-request-id", id);
    // Browsers must take a JSON error or an export as what it says it is, never sniff it into a page.
    c.header("x-content-type-options", "nosniff");
    await next();
  };
}
