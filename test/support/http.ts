import { exports } from "cloudflare:workers";

export const BASE = "http://localhost:8787";
export const TRUSTED_ORIGIN = "http://localhost:8787";

/** Sends a request through the Worker's real fetch entry point. */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, BASE), init));
}

export function json(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return call(path, {
    method,
    headers: { "content-type": "application/json", origin: TRUSTED_ORIGIN, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface Envelope {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** Asserts the one error envelope and returns it. */
export async function expectEnvelope(response: Response, status: number, code?: string): Promise<Envelope> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`Expected ${status}, got ${response.status}: ${text}`);
  }
  const body = JSON.parse(text) as Envelope;
  if (!body.error || typeof body.error.message !== "string" || typeof body.error.requestId !== "string") {
    throw new Error(`Not the error envelope: ${text}`);
  }
  if (code && body.error.code !== code) throw new Error(`Expected code ${code}, got ${body.error.code}`);
  if (response.headers.get("x-request-id") !== body.error.requestId) {
    throw new Error("x-request-id header does not match the envelope's requestId");
  }
  return body;
}
