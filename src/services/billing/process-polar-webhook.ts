import { type Queryable, withTransaction } from "../../db/client";
import { claimWebhookEvent, findUserIdById, linkSubscriptionUser, upsertSubscription } from "../../db/queries/billing";
import type { NewSubscription } from "../../db/schema/billing";
import { parseSignedPayload } from "./parse-signed-payload";
import { type BillingSignatureConfig, signedBillingUserOf } from "./signed-billing-user";
import { type PolarSubscription, polarSubscriptionSchema, webhookEnvelopeSchema } from "./webhook-payloads";

export interface WebhookOutcome {
  duplicate: boolean;
}

/**
 * Applies one verified Polar delivery at most once: the dedupe row and the effect share a transaction.
 * `subscription.*` events upsert the subscription (older states never overwrite newer ones); every other
 * event type is acknowledged and only recorded.
 */
export async function processPolarWebhook({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: BillingSignatureConfig };
  input: { webhookId: string; payload: unknown };
}): Promise<WebhookOutcome> {
  const envelope = parseSignedPayload(webhookEnvelopeSchema, input.payload, "Polar event");
  const data = envelope.type.startsWith("subscription.")
    ? parseSignedPayload(polarSubscriptionSchema, envelope.data, "Polar subscription")
    : null;
  // Polar copies the checkout's metadata onto the subscription, signature included.
  const signedUserId = data ? await signedBillingUserOf(ctx.config, data.metadata) : null;

  return withTransaction(ctx.db, async (tx) => {
    const fresh = await claimWebhookEvent(tx, {
      provider: "polar",
      webhookId: input.webhookId,
      eventType: envelope.type,
    });
    if (!fresh) return { duplicate: true };
    if (data) await applySubscription(tx, data, signedUserId);
    return { duplicate: false };
  });
}

/**
 * The subscriber: the customer's external id, which our checkout sets through the API with the server's
 * token; else the user our checkout signed into the metadata; else nobody (stored unlinked). Unlike a Dodo
 * payment, a subscription is never linked by email: the external id is what Polar gives us for that.
 */
async function resolveSubscriber(
  tx: Queryable,
  data: PolarSubscription,
  signedUserId: string | null,
): Promise<string | null> {
  for (const candidate of [data.customer?.external_id, signedUserId]) {
    if (!candidate) continue;
    const userId = await findUserIdById(tx, candidate);
    if (userId) return userId;
  }
  return null;
}

async function applySubscription(tx: Queryable, data: PolarSubscription, signedUserId: string | null): Promise<void> {
  const userId = await resolveSubscriber(tx, data, signedUserId);
  const row: NewSubscription = {
    id: data.id,
    userId,
    createdAt: data.created_at,
    modifiedAt: data.modified_at ?? null,
    amount: data.amount,
    currency: data.currency,
    recurringInterval: data.recurring_interval,
    status: data.status,
    currentPeriodStart: data.current_period_start,
    currentPeriodEnd: data.current_period_end ?? null,
    cancelAtPeriodEnd: data.cancel_at_period_end ?? false,
    canceledAt: data.canceled_at ?? null,
    startedAt: data.started_at ?? null,
    endsAt: data.ends_at ?? null,
    endedAt: data.ended_at ?? null,
    customerId: data.customer_id,
    productId: data.product_id,
    discountId: data.discount_id ?? null,
    checkoutId: data.checkout_id ?? null,
    customerCancellationReason: data.customer_cancellation_reason ?? null,
    customerCancellationComment: data.customer_cancellation_comment ?? null,
    metadata: data.metadata == null ? null : JSON.stringify(data.metadata),
    customFieldData: data.custom_field_data == null ? null : JSON.stringify(data.custom_field_data),
  };
  const applied = await upsertSubscription(tx, row);
  if (!applied && userId) await linkSubscriptionUser(tx, row.id, userId);
}
