import { z } from "zod";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import { isOutboundRequestError } from "../../outbound/errors";
import type { HttpClient } from "../../outbound/safe-fetch";

export type BillingProvider = "polar" | "dodo";

export const billingProviderNames: Record<BillingProvider, string> = { polar: "Polar", dodo: "Dodo Payments" };

const POLAR_BASE_URLS = { production: "https://api.polar.sh", sandbox: "https://sandbox-api.polar.sh" } as const;
const DODO_BASE_URLS = {
  live_mode: "https://live.dodopayments.com",
  test_mode: "https://test.dodopayments.com",
} as const;

// The traveller waits on these calls; a provider that takes longer is treated as down.
const PROVIDER_TIMEOUT_MS = 10_000;
// A checkout object embeds its product, prices and benefits; far below this in practice.
const PROVIDER_MAX_BYTES = 512 * 1024;

export const PROVIDER_FAILED_MESSAGE = "The payment provider did not answer as expected. Try again in a moment.";

export interface ProviderApi {
  provider: BillingProvider;
  /** Without a trailing slash, so paths join the same way whether or not the override has one. */
  baseUrl: string;
  headers: Record<string, string>;
}

/** How to reach the provider's API, or null when its token or key is not configured. */
export function providerApiOf(config: Config, provider: BillingProvider): ProviderApi | null {
  if (provider === "polar") {
    if (!config.POLAR_ACCESS_TOKEN) return null;
    const headers: Record<string, string> = { authorization: `Bearer ${config.POLAR_ACCESS_TOKEN}` };
    if (config.POLAR_API_VERSION) headers["polar-version"] = config.POLAR_API_VERSION;
    const baseUrl = config.POLAR_API_BASE_URL ?? POLAR_BASE_URLS[config.POLAR_SERVER];
    return { provider, baseUrl: baseUrl.replace(/\/+$/, ""), headers };
  }
  if (!config.DODO_PAYMENTS_API_KEY) return null;
  const baseUrl = config.DODO_PAYMENTS_API_BASE_URL ?? DODO_BASE_URLS[config.DODO_PAYMENTS_ENVIRONMENT];
  return {
    provider,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { authorization: `Bearer ${config.DODO_PAYMENTS_API_KEY}` },
  };
}

/**
 * The app's own origin, the only place return and success URLs may point to (no open redirect): from
 * BETTER_AUTH_URL, never from the request. Unset only locally, where the app serves on auth's default.
 */
export function appOriginOf(config: Config): string {
  return new URL(config.BETTER_AUTH_URL ?? "http://localhost:8787").origin;
}

/** A link the page sends the traveller to: https only, so a provider answer can never become a script URL. */
export const providerPageUrl = z.url({ protocol: /^https$/ }).max(4096);

/** The provider's own error code from an error body (Polar `error`, Dodo `code`), short and free of our data. */
function providerErrorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { code?: unknown; error?: unknown; type?: unknown } | null;
    const code = [body?.code, body?.error, body?.type].find((value) => typeof value === "string");
    return typeof code === "string" ? code.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

interface Failure {
  reason: string;
  status?: number;
  providerCode?: string;
  issues?: string[];
  error?: unknown;
}

function providerFailed(log: Logger, api: ProviderApi, operation: string, failure: Failure): AppError {
  // Only the host, status and the provider's error code are logged: request headers carry the credential,
  // and bodies carry the traveller's email and the provider's session tokens.
  log.error("billing.provider.failed", {
    provider: api.provider,
    operation,
    host: new URL(api.baseUrl).host,
    ...failure,
  });
  return new AppError("BAD_GATEWAY", PROVIDER_FAILED_MESSAGE, { retryable: true, cause: failure.error });
}

/**
 * One POST to a billing provider through the outbound client (trusted: the endpoint is configured), its
 * answer checked against `schema`. Any failure (network, timeout, size cap, non-2xx, not JSON, wrong
 * shape) is logged with the request id and becomes BAD_GATEWAY (502) with a generic message.
 */
export async function postToProvider<S extends z.ZodType>(
  ctx: { http: HttpClient; log: Logger },
  api: ProviderApi,
  request: { operation: string; path: string; body?: unknown },
  schema: S,
): Promise<z.output<S>> {
  const { operation } = request;
  const headers: Record<string, string> = { ...api.headers, accept: "application/json" };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  let status: number;
  let text: string;
  try {
    const response = await ctx.http.fetch(`${api.baseUrl}${request.path}`, {
      method: "POST",
      trust: "trusted",
      timeoutMs: PROVIDER_TIMEOUT_MS,
      maxBytes: PROVIDER_MAX_BYTES,
      maxRedirects: 0,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const reason = isOutboundRequestError(error) ? error.code : "NETWORK";
    throw providerFailed(ctx.log, api, operation, { reason, error });
  }
  if (status < 200 || status > 299) {
    throw providerFailed(ctx.log, api, operation, {
      reason: "HTTP_STATUS",
      status,
      providerCode: providerErrorCode(text),
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw providerFailed(ctx.log, api, operation, { reason: "NOT_JSON", status });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw providerFailed(ctx.log, api, operation, {
      reason: "UNEXPECTED_SHAPE",
      status,
      issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.code}`),
    });
  }
  return parsed.data;
}
