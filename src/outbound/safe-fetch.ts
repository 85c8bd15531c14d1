import { OutboundRequestError } from "./errors";
import { assertPublicUrl } from "./url-policy";

/**
 * `trusted`: an endpoint from configuration (model and search providers), fetched as configured.
 * `untrusted`: a URL from the model or a user; checked before the first request and after every redirect.
 */
export type TrustLevel = "trusted" | "untrusted";

export interface SafeRequestInit extends Omit<RequestInit, "redirect" | "signal"> {
  trust: TrustLevel;
  /** Covers the whole exchange: connecting, every redirect and reading the body. */
  timeoutMs?: number;
  /** The body is read as a stream and the request aborted once it grows past this. */
  maxBytes?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
}

export type SafeFetch = (input: string | URL, init: SafeRequestInit) => Promise<Response>;

export interface HttpClient {
  /** The response's body is size-capped and time-limited; read it or cancel it. */
  fetch: SafeFetch;
  /** GET/POST and parse JSON; a non-2xx status becomes an `HTTP_STATUS` error. */
  json<T = unknown>(input: string | URL, init: SafeRequestInit): Promise<T>;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  userAgent?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Hosts untrusted URLs may never name: the app's own (see appHostsOf). */
  ownHosts?: readonly string[];
}

export const httpDefaults = {
  userAgent: "Mylo-Travel-Concierge/0.1 (+https://github.com/mylo-travel)",
  timeoutMs: 10_000,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 5,
} as const;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
// Headers that may follow a redirect to another origin; credentials and provider keys never do.
const crossOriginSafeHeaders = new Set(["accept", "accept-language", "user-agent", "content-type"]);

function hostOf(url: URL, trust: TrustLevel): string {
  return trust === "untrusted" ? url.href : url.host;
}

function toError(error: unknown, signal: AbortSignal, where: string): OutboundRequestError {
  if (error instanceof OutboundRequestError) return error;
  if (signal.aborted && signal.reason instanceof OutboundRequestError) return signal.reason;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError") return new OutboundRequestError("TIMEOUT", `${where} did not answer in time`);
  if (name === "AbortError" || signal.aborted) {
    return new OutboundRequestError("ABORTED", `The request to ${where} was cancelled`);
  }
  return new OutboundRequestError("NETWORK", `Could not reach ${where}`, { cause: error });
}

/** The one outbound HTTP client: timeouts, size caps, manual redirects and the SSRF policy for untrusted URLs. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const userAgent = options.userAgent ?? httpDefaults.userAgent;
  const policy = { ownHosts: options.ownHosts };

  const safeFetch: SafeFetch = async (input, init) => {
    const {
      trust,
      timeoutMs = options.timeoutMs ?? httpDefaults.timeoutMs,
      maxBytes = options.maxBytes ?? httpDefaults.maxBytes,
      maxRedirects = options.maxRedirects ?? httpDefaults.maxRedirects,
      signal,
      ...requestInit
    } = init;

    // Validation happens before any timer or request exists, so a refused URL never leaves.
    let url = trust === "untrusted" ? assertPublicUrl(input, policy) : new URL(String(input));
    let where = hostOf(url, trust);

    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new OutboundRequestError("TIMEOUT", `${where} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const forwardAbort = () => {
      controller.abort(new OutboundRequestError("ABORTED", `The request to ${where} was cancelled`));
    };
    if (signal?.aborted) forwardAbort();
    signal?.addEventListener("abort", forwardAbort, { once: true });
    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", forwardAbort);
    };
    // Races every await against the abort, so a transport that ignores the signal still times out.
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(controller.signal.reason);
      if (controller.signal.aborted) fail();
      else controller.signal.addEventListener("abort", fail, { once: true });
    });
    aborted.catch(() => undefined);

    let method = (requestInit.method ?? "GET").toUpperCase();
    let body = requestInit.body;
    const headers = new Headers(requestInit.headers);
    if (!headers.has("user-agent")) headers.set("user-agent", userAgent);

    try {
      for (let hop = 0; ; hop++) {
        const response = await Promise.race([
          baseFetch(url.href, { ...requestInit, method, headers, body, redirect: "manual", signal: controller.signal }),
          aborted,
        ]);
        const location = response.headers.get("location");
        if (!redirectStatuses.has(response.status) || location === null) {
          return capBody(response, { url, maxBytes, controller, aborted, cleanup, where });
        }
        await response.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) {
          throw new OutboundRequestError("TOO_MANY_REDIRECTS", `${where} redirected more than ${maxRedirects} times`);
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new OutboundRequestError("BAD_RESPONSE", `${where} sent an invalid redirect`);
        }
        if (trust === "untrusted") next = assertPublicUrl(next, policy);
        if (next.origin !== url.origin) {
          for (const name of [...headers.keys()]) {
            if (!crossOriginSafeHeaders.has(name)) headers.delete(name);
          }
        }
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
          method = method === "HEAD" ? "HEAD" : "GET";
          body = undefined;
          headers.delete("content-type");
        }
        url = next;
        where = hostOf(url, trust);
      }
    } catch (error) {
      cleanup();
      const failure = toError(error, controller.signal, where);
      if (!controller.signal.aborted) controller.abort(failure);
      throw failure;
    }
  };

  return {
    fetch: safeFetch,
    async json<T>(input: string | URL, init: SafeRequestInit): Promise<T> {
      const headers = new Headers(init.headers);
      if (!headers.has("accept")) headers.set("accept", "application/json");
      const response = await safeFetch(input, { ...init, headers });
      const where = init.trust === "untrusted" ? String(input) : new URL(String(input)).host;
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new OutboundRequestError("HTTP_STATUS", `${where} answered with status ${response.status}`, {
          status: response.status,
        });
      }
      const text = await response.text();
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new OutboundRequestError("BAD_RESPONSE", `${where} did not answer with valid JSON`);
      }
    },
  };
}

interface CapContext {
  url: URL;
  maxBytes: number;
  controller: AbortController;
  aborted: Promise<never>;
  cleanup: () => void;
  where: string;
}

function capBody(response: Response, context: CapContext): Response {
  const { url, maxBytes, controller, aborted, cleanup, where } = context;
  const tooLarge = () =>
    new OutboundRequestError("TOO_LARGE", `The response from ${where} is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body?.cancel().catch(() => undefined);
    cleanup();
    throw tooLarge();
  }
  const source = response.body;
  if (!source) {
    cleanup();
    return withUrl(
      new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers }),
      url,
    );
  }
  const reader = source.getReader();
  let received = 0;
  const capped = new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const chunk = await Promise.race([reader.read(), aborted]);
        if (chunk.done) {
          cleanup();
          stream.close();
          return;
        }
        received += chunk.value.byteLength;
        if (received > maxBytes) {
          const error = tooLarge();
          controller.abort(error);
          throw error;
        }
        stream.enqueue(chunk.value);
      } catch (error) {
        cleanup();
        reader.cancel().catch(() => undefined);
        stream.error(toError(error, controller.signal, where));
      }
    },
    cancel(reason) {
      cleanup();
      controller.abort();
      return reader.cancel(reason).catch(() => undefined);
    },
  });
  return withUrl(
    new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers }),
    url,
  );
}

function withUrl(response: Response, url: URL): Response {
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}

/**
 * Adapts the client to the `fetch` signature that AI SDK providers accept, for configured (trusted)
 * model endpoints. Model replies stream for a while, so the limits are wider than for tools.
 */
export function providerFetch(
  client: HttpClient,
  limits: { timeoutMs?: number; maxBytes?: number } = {},
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : String(input);
    const { signal, redirect: _redirect, ...rest } = init ?? {};
    return client.fetch(url, {
      method: request?.method,
      headers: request?.headers,
      body: request?.body,
      ...rest,
      signal: signal ?? undefined,
      trust: "trusted",
      timeoutMs: limits.timeoutMs ?? 300_000,
      maxBytes: limits.maxBytes ?? 32 * 1024 * 1024,
    });
  };
}
