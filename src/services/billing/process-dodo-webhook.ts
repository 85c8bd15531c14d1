import type { z } from "zod";
import { type Queryable, withTransaction } from "../../db/client";
import {
  claimWebhookEvent,
  findUserIdById,
  findVerifiedUserIdByEmail,
  linkPaymentUser,
  upsertDisputes,
  upsertPayment,
  upsertRefunds,
} from "../../db/queries/billing";
import type { NewPayment } from "../../db/schema/billing";
import type { NewPaymentDispute } from "../../db/schema/payment-disputes";
import type { NewPaymentRefund } from "../../db/schema/payment-refunds";
import { parseSignedPayload } from "./parse-signed-payload";
import type { WebhookOutcome } from "./process-polar-webhook";
import { type BillingSignatureConfig, signedBillingUserOf } from "./signed-billing-user";
import {
  type DodoDispute,
  type DodoPayment,
  type DodoRefund,
  dodoDisputeSchema,
  dodoPaymentSchema,
  dodoRefundSchema,
  webhookEnvelopeSchema,
} from "./webhook-payloads";

/**
 * Applies one verified Dodo Payments delivery at most once: the dedupe row and the effect share a
 * transaction. `payment.*` events upsert the payment and the refunds and disputes it lists, `refund.*`
 * and `dispute.*` events upsert the refund or dispute (older states never overwrite newer ones); every
 * other event type is acknowledged and only recorded.
 */
export async function processDodoWebhook({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: BillingSignatureConfig };
  input: { webhookId: string; payload: unknown };
}): Promise<WebhookOutcome> {
  const envelope = parseSignedPayload(webhookEnvelopeSchema, input.payload, "Dodo Payments event");
  const data = envelope.type.startsWith("payment.")
    ? parseSignedPayload(dodoPaymentSchema, envelope.data, "Dodo Payments payment")
    : null;
  const refund = envelope.type.startsWith("refund.")
    ? parseSignedPayload(dodoRefundSchema, envelope.data, "Dodo Payments refund")
    : null;
  const dispute = envelope.type.startsWith("dispute.")
    ? parseSignedPayload(dodoDisputeSchema, envelope.data, "Dodo Payments dispute")
    : null;
  const deliveredAt = envelope.timestamp ?? null;
  const signedUserId = data ? await signedBillingUserOf(ctx.config, data.metadata) : null;

  return withTransaction(ctx.db, async (tx) => {
    const fresh = await claimWebhookEvent(tx, {
      provider: "dodo",
      webhookId: input.webhookId,
      eventType: envelope.type,
    });
    if (!fresh) return { duplicate: true };
    if (data) await applyPayment(tx, data, { deliveredAt, signedUserId });
    if (refund) await upsertRefunds(tx, [refundRow(refund, deliveredAt)]);
    if (dispute) await upsertDisputes(tx, [disputeRow(dispute, deliveredAt)]);
    return { duplicate: false };
  });
}

/**
 * The buyer: the user our checkout signed into the metadata, if that user exists; else the user whose
 * verified email is the customer's; else nobody (stored unlinked). `signedUserId` is the metadata's user
 * id only once its signature has verified: an unsigned one must not decide whose account is paid for.
 */
async function resolveBuyer(tx: Queryable, data: DodoPayment, signedUserId: string | null): Promise<string | null> {
  if (signedUserId) {
    const userId = await findUserIdById(tx, signedUserId);
    if (userId) return userId;
  }
  const email = data.customer?.email;
  return email ? findVerifiedUserIdByEmail(tx, email) : null;
}

async function applyPayment(
  tx: Queryable,
  data: DodoPayment,
  delivery: { deliveredAt: Date | null; signedUserId: string | null },
): Promise<void> {
  const { deliveredAt } = delivery;
  const userId = await resolveBuyer(tx, data, delivery.signedUserId);
  const row: NewPayment = {
    id: data.payment_id,
    userId,
    createdAt: data.created_at,
    // Ordering key for out-of-order deliveries: Dodo's own update time, else when the event was sent.
    updatedAt: data.updated_at ?? deliveredAt,
    brandId: data.brand_id ?? null,
    businessId: data.business_id ?? null,
    cardIssuingCountry: data.card_issuing_country ?? null,
    cardLastFour: data.card_last_four ?? null,
    cardNetwork: data.card_network ?? null,
    cardType: data.card_type ?? null,
    currency: data.currency,
    digitalProductsDelivered: data.digital_products_delivered ?? null,
    discountId: data.discount_id ?? null,
    errorCode: data.error_code ?? null,
    errorMessage: data.error_message ?? null,
    paymentLink: data.payment_link ?? null,
    paymentMethod: data.payment_method ?? null,
    paymentMethodType: data.payment_method_type ?? null,
    settlementAmount: data.settlement_amount ?? null,
    settlementCurrency: data.settlement_currency ?? null,
    settlementTax: data.settlement_tax ?? null,
    status: data.status ?? null,
    subscriptionId: data.subscription_id ?? null,
    tax: data.tax ?? null,
    totalAmount: data.total_amount,
    billing: data.billing ?? null,
    customer: data.customer ?? null,
    disputes: data.disputes ?? null,
    metadata: data.metadata ?? null,
    productCart: data.product_cart ?? null,
    refunds: data.refunds ?? null,
  };
  const applied = await upsertPayment(tx, row);
  if (!applied && userId) await linkPaymentUser(tx, row.id, userId);
  const stateAt = row.updatedAt ?? null;
  await upsertRefunds(
    tx,
    listed(data, data.refunds, dodoRefundSchema, (refund) => [refund.refund_id, refundRow(refund, stateAt)]),
  );
  await upsertDisputes(
    tx,
    listed(data, data.disputes, dodoDisputeSchema, (dispute) => [dispute.dispute_id, disputeRow(dispute, stateAt)]),
  );
}

/** The entries a payment lists that are well-formed and its own, as rows, one per id. */
function listed<Entry extends { payment_id: string }, Row>(
  data: DodoPayment,
  entries: unknown[] | null | undefined,
  schema: z.ZodType<Entry>,
  toRow: (entry: Entry) => [string, Row],
): Row[] {
  const byId = new Map<string, Row>();
  for (const entry of entries ?? []) {
    const parsed = schema.safeParse(entry);
    if (!parsed.success || parsed.data.payment_id !== data.payment_id) continue;
    const [id, row] = toRow(parsed.data);
    byId.set(id, row);
  }
  return [...byId.values()];
}

function disputeRow(dispute: DodoDispute, stateAt: Date | null): NewPaymentDispute {
  return {
    id: dispute.dispute_id,
    paymentId: dispute.payment_id,
    status: dispute.dispute_status,
    stage: dispute.dispute_stage ?? null,
    amount: dispute.amount == null ? null : String(dispute.amount),
    currency: dispute.currency ?? null,
    remarks: dispute.remarks ?? null,
    createdAt: dispute.created_at,
    updatedAt: stateAt ?? dispute.created_at,
  };
}

function refundRow(refund: DodoRefund, stateAt: Date | null): NewPaymentRefund {
  return {
    id: refund.refund_id,
    paymentId: refund.payment_id,
    status: refund.status,
    isPartial: refund.is_partial,
    amount: refund.amount ?? null,
    currency: refund.currency ?? null,
    reason: refund.reason ?? null,
    createdAt: refund.created_at,
    // A delivery without a timestamp orders by the refund's creation, so a later one of those still wins.
    updatedAt: stateAt ?? refund.created_at,
  };
}
