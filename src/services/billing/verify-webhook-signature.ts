import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { AppError } from "../../lib/errors";

export type WebhookKeyMode = "standard" | "legacy";

export class WebhookSecretError extends Error {
  override readonly name = "WebhookSecretError";
}

/**
 * The HMAC key for a configured secret. `standard`: the base64-decoded part after `whsec_` (Standard
 * Webhooks). `legacy`: the UTF-8 bytes of the whole secret string, prefix included (older Polar
 * endpoints). Throws WebhookSecretError for a secret that gives no usable key (empty, bare `whsec_`,
 * not base64 in standard mode).
 */
export function createWebhookVerifier(secret: string, keyMode: WebhookKeyMode): Webhook {
  if (secret.replace(/^whsec_/, "").length === 0) throw new WebhookSecretError("The webhook secret is empty");
  try {
    return keyMode === "legacy"
      ? new Webhook(new TextEncoder().encode(secret), { format: "raw" })
      : new Webhook(secret);
  } catch (error) {
    throw new WebhookSecretError("The webhook secret is not a valid key", { cause: error });
  }
}

export interface WebhookHeaders {
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
}

// Digits only: the library's parseInt would accept "1614265330abc". Twelve digits reach year 33658.
const TIMESTAMP = /^\d{1,12}$/;
// Printable ASCII without spaces; the id is stored as the dedupe key.
const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;
const MAX_SIGNATURE_HEADER = 8 * 1024;

const invalid = (message: string) => new AppError("INVALID_SIGNATURE", message);

/**
 * Standard Webhooks verification over the raw body exactly as received: HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`, constant-time comparison, timestamp within ±5 minutes of now, any one of
 * several space-separated `v1,<base64>` signatures (other versions are ignored). Every failure,
 * including missing or malformed headers, is INVALID_SIGNATURE (401): the request is not authentic.
 */
export function verifyWebhookSignature(input: { verifier: Webhook; headers: WebhookHeaders; body: string }): {
  webhookId: string;
  timestamp: Date;
} {
  const { id, timestamp, signature } = input.headers;
  if (!id || !timestamp || !signature) {
    throw invalid("The webhook-id, webhook-timestamp and webhook-signature headers are required");
  }
  if (!WEBHOOK_ID.test(id)) throw invalid("The webhook-id header is malformed");
  if (!TIMESTAMP.test(timestamp)) throw invalid("The webhook-timestamp header must be whole seconds since the epoch");
  if (signature.length > MAX_SIGNATURE_HEADER) throw invalid("The webhook-signature header is too long");
  try {
    input.verifier.verify(
      input.body,
      { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
      { jsonParse: false },
    );
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      throw invalid(`The webhook signature is not valid: ${error.message}`);
    throw error;
  }
  return { webhookId: id, timestamp: new Date(Number(timestamp) * 1000) };
}
