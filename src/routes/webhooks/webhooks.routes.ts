import { z } from "@hono/zod-openapi";
import { route } from "../../http/middleware/auth";
import { errorResponses, jsonContent } from "../../http/openapi";

/** Provider deliveries are small; anything larger is refused (413) before it is read or verified. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

export const webhookReceiptSchema = z
  .object({
    received: z.literal(true),
    duplicate: z
      .boolean()
      .optional()
      .openapi({ description: "true when this webhook-id was already processed: nothing was done again" }),
  })
  .openapi("WebhookReceipt");

const webhookEventSchema = z
  .object({
    type: z.string().openapi({ example: "subscription.active" }),
    timestamp: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("WebhookEvent");

const standardWebhookHeaders = z.object({
  "webhook-id": z.string().openapi({ description: "Unique per delivery; redeliveries repeat it" }),
  "webhook-timestamp": z.string().openapi({ description: "Unix seconds, digits only; must be within 5 minutes" }),
  "webhook-signature": z
    .string()
    .openapi({ description: "Space-separated `v1,<base64 HMAC-SHA256>` entries; any one valid is enough" }),
});

const webhookResponses = {
  200: jsonContent(
    webhookReceiptSchema,
    "Accepted (or already processed, an event type that is ignored, or a signed event that can never be applied)",
  ),
  401: errorResponses[401],
  413: errorResponses[413],
  503: errorResponses[503],
};

const common = `Standard Webhooks signature over the raw body (±5 minutes). Missing, malformed or wrong signature
headers: 401 INVALID_SIGNATURE. A signed body that can never be applied (not JSON, not a valid event, text that
cannot be stored) is recorded, logged and acknowledged with 200, as a redelivery of the same bytes would fail the
same way. Body over 1 MiB: 413. Secret not configured or database unavailable: 503 (the provider retries). Each
webhook-id is processed once.`;

// Documented here but mounted without request validation: the signature covers the exact raw bytes,
// so the body must not be parsed (and re-serialized) before it is verified.
export const polarWebhookRoute = route({
  method: "post",
  path: "/api/webhooks/polar",
  tags: ["Webhooks"],
  summary: "Polar webhook: `subscription.*` events update the subscription; other events are acknowledged.",
  description: common,
  request: {
    headers: standardWebhookHeaders,
    body: { content: { "application/json": { schema: webhookEventSchema } } },
  },
  responses: webhookResponses,
});

export const dodoWebhookRoute = route({
  method: "post",
  path: "/api/webhooks/dodo",
  tags: ["Webhooks"],
  summary: "Dodo Payments webhook: `payment.*` events update the payment; other events are acknowledged.",
  description: `${common}\nThe buyer is the user id in the checkout metadata key \`user_id\`, else the verified user with the customer's email.`,
  request: {
    headers: standardWebhookHeaders,
    body: { content: { "application/json": { schema: webhookEventSchema } } },
  },
  responses: webhookResponses,
});
