import type { Queryable } from "../../db/client";
import type { WebhookProvider } from "../../db/queries/billing";
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
 * One signed provider delivery, start to end: verify the raw body (INVALID_SIGNATURE, 401), parse it
 * (BAD_REQUEST / VALIDATION_ERROR, 400), then apply it at most once. Nothing is written unless all of
 * that passes. A provider whose secret is not configured (or unusable) gets SERVICE_UNAVAILABLE (503):
 * the delivery is not lost, the provider retries once the secret is set.
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
  try {
    payload = JSON.parse(input.body);
  } catch {
    throw new AppError("BAD_REQUEST", "The webhook body is not JSON");
  }

  const apply = provider === "polar" ? processPolarWebhook : processDodoWebhook;
  const outcome = await apply({ ctx: { db: ctx.db }, input: { webhookId, payload } });
  ctx.log.info("webhook.received", { provider, webhookId, duplicate: outcome.duplicate });
  return outcome;
}
