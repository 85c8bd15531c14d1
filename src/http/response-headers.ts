import type { Context } from "hono";

/**
 * Edits the headers of the response a middleware is finishing. A response the app built has mutable
 * headers; one passed through from elsewhere (a Durable Object's stream) may not, and is then copied
 * once, body untouched.
 */
export function editResponseHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch {
    c.res = new Response(c.res.body, c.res);
    edit(c.res.headers);
  }
}
