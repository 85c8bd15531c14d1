import { vi } from "vitest";
import { toolTimeoutsMs } from "../../src/ai/tools/types";
import { createHttpClient, type HttpClientOptions } from "../../src/outbound/safe-fetch";

export interface FakeCall {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

type Handler = (call: FakeCall, init: RequestInit) => Response | Promise<Response>;

/** A stand-in for the platform `fetch`: records every request, answers from the handler, never touches the network. */
export function fakeFetch(handler: Handler) {
  const calls: FakeCall[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FakeCall = {
      url: new URL(input instanceof Request ? input.url : String(input)),
      method: (init.method ?? "GET").toUpperCase(),
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    };
    calls.push(call);
    return handler(call, init);
  });
  return { fetch: fn as unknown as typeof fetch, calls, fn };
}

export function clientOver(handler: Handler, options: Omit<HttpClientOptions, "fetch"> = {}) {
  const fake = fakeFetch(handler);
  return { ...fake, http: createHttpClient({ ...options, fetch: fake.fetch }) };
}

export const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
  });

export const notFound = (call: FakeCall) => new Response(`no fake route for ${call.url.href}`, { status: 599 });

/** Every tool's timeout set to `ms` (when given), so a hanging fake fails fast. */
export const shortTimeouts = (ms: number | undefined) =>
  ms === undefined
    ? undefined
    : (Object.fromEntries(Object.keys(toolTimeoutsMs).map((name) => [name, ms])) as Record<
        keyof typeof toolTimeoutsMs,
        number
      >);
