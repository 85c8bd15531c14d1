import type { Queryable } from "../../db/client";
import { claimWebhookEvent, type WebhookProvider } from "../../db/queries/billing";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import { processDodoWebhook } from "./process-dodo-webhook";
import { processPolarWebhook, type WebhookOutcome } from "./process-polar-webhook";
import {
  createWebhookVerifier,
  verifyWebhookSignature,
  type WebhookHeaders,
  WebhookSecretError,
} from "./verify-webhook-signature";

function secretFor(provider: WebhookProvider, config: Config) {
  return provider === "polar"
    ? { secret: config.POLAR_WEBHOOK_SECRET, keyMode: config.POLAR_WEBHOOK_KEY_MODE }
    : { secret: config.DODO_WEBHOOK_SECRET, keyMode: "standard" as const };
}

/**
 * One signed provider delivery, start to end: verify the raw body (INVALID_SIGNATURE, 401), parse it,
 * then apply it at most once. Nothing is written for a delivery that is not correctly signed. A signed
 * delivery that can never be applied (see unprocessable) is recorded and acknowledged. A provider whose
 * secret is not configured (or unusable) gets SERVICE_UNAVAILABLE (503): the delivery is not lost, the
 * provider retries once the secret is set.
 */
export async function receiveWebhook({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; log: Logger };
  input: { provider: WebhookProvider; headers: WebhookHeaders; body: string };
}): Promise<WebhookOutcome> {
  const { provider } = input;
  const { secret, keyMode } = secretFor(provider, ctx.config);
  if (!secret) {
    ctx.log.error("webhook.secret.missing", { provider });
    throw new AppError("SERVICE_UNAVAILABLE", `${provider} webhooks are not configured`);
  }
  let verifier: ReturnType<typeof createWebhookVerifier>;
  try {
    verifier = createWebhookVerifier(secret, keyMode);
  } catch (error) {
    if (!(error instanceof WebhookSecretError)) throw error;
    ctx.log.error("webhook.secret.invalid", { provider, keyMode, reason: error.message });
    throw new AppError("SERVICE_UNAVAILABLE", `${provider} webhooks are not configured`);
  }

  const { webhookId } = verifyWebhookSignature({ verifier, headers: input.headers, body: input.body });

  let payload: unknown;
  const apply = provider === "polar" ? processPolarWebhook : processDodoWebhook;
  let outcome: WebhookOutcome;
  try {
    try {
      payload = JSON.parse(input.body);
    } catch {
      throw new AppError("BAD_REQUEST", "The webhook body is not JSON");
    }
    outcome = await apply({ ctx: { db: ctx.db, config: ctx.config }, input: { webhookId, payload } });
  } catch (error) {
    const reason = unprocessable(error);
    if (!reason) throw error;
    return recordUnprocessable(ctx, { provider, webhookId, eventType: readableType(payload), reason });
  }
  ctx.log.info("webhook.received", { provider, webhookId, duplicate: outcome.duplicate });
  return outcome;
}

interface UnprocessableReason {
  message: string;
  /** Where the payload failed its schema (paths and zod codes, never the values). */
  issues?: Array<{ path: unknown; code: unknown }>;
  code?: string;
}

/**
 * Why a signed delivery can never be applied, or undefined when it might be on a retry: a body that is
 * not JSON, an event that fails its schema, text Postgres refuses to store (U+0000, SQLSTATE 22021 and
 * 22P05). Providers redeliver the same bytes, which would fail the same way until they give up on the
 * endpoint, holding back every delivery after it.
 */
function unprocessable(error: unknown): UnprocessableReason | undefined {
  if (error instanceof AppError && (error.code === "VALIDATION_ERROR" || error.code === "BAD_REQUEST")) {
    const issues = Array.isArray(error.details)
      ? error.details.map((issue: { path?: unknown; code?: unknown }) => ({ path: issue.path, code: issue.code }))
      : undefined;
    return { message: error.message, issues };
  }
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "22021" || code === "22P05") return { message: "The event holds text that cannot be stored", code };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The event's type as the provider sent it, when there is a readable one to record. */
function readableType(payload: unknown): string {
  const type = (payload as { type?: unknown } | null | undefined)?.type;
  return typeof type === "string" && type.length > 0 && type.length <= 200 ? type : "unreadable";
}

async function recordUnprocessable(
  ctx: { db: Queryable; log: Logger },
  input: { provider: WebhookProvider; webhookId: string; eventType: string; reason: UnprocessableReason },
): Promise<WebhookOutcome> {
  const { provider, webhookId, eventType, reason } = input;
  const fresh = await claimWebhookEvent(ctx.db, { provider, webhookId, eventType });
  if (fresh) ctx.log.warn("webhook.unprocessable", { provider, webhookId, eventType, ...reason });
  else ctx.log.info("webhook.received", { provider, webhookId, duplicate: true });
  return { duplicate: !fresh };
}
