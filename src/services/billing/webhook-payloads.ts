import { z } from "zod";

// Provider payload shapes, as far as we store them. Plain objects: unknown provider fields are dropped,
// except in the JSON columns the seed keeps whole (Dodo `billing`, `customer`, `metadata`, …).

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** The columns are Postgres `integer`: a larger value would fail the insert, so refuse it up front. */
const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
const jsonObject = z.record(z.string(), z.unknown());

export const webhookEnvelopeSchema = z.object({
  type: z.string().min(1).max(200),
  timestamp: instant.nullish().catch(null),
  data: z.unknown(),
});

export const polarSubscriptionSchema = z.object({
  id: z.string().min(1).max(255),
  created_at: instant,
  modified_at: instant.nullish(),
  amount: int32,
  currency: z.string().min(1),
  recurring_interval: z.string().min(1),
  status: z.string().min(1),
  current_period_start: instant,
  current_period_end: instant.nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  canceled_at: instant.nullish(),
  started_at: instant.nullish(),
  ends_at: instant.nullish(),
  ended_at: instant.nullish(),
  customer_id: z.string().min(1),
  product_id: z.string().min(1),
  discount_id: z.string().nullish(),
  checkout_id: z.string().nullish(),
  customer_cancellation_reason: z.string().nullish(),
  customer_cancellation_comment: z.string().nullish(),
  metadata: jsonObject.nullish(),
  custom_field_data: jsonObject.nullish(),
  customer: z.object({ external_id: z.string().nullish() }).nullish(),
});

export type PolarSubscription = z.output<typeof polarSubscriptionSchema>;

export const dodoPaymentSchema = z.object({
  payment_id: z.string().min(1).max(255),
  created_at: instant,
  updated_at: instant.nullish(),
  brand_id: z.string().nullish(),
  business_id: z.string().nullish(),
  card_issuing_country: z.string().nullish(),
  card_last_four: z.string().nullish(),
  card_network: z.string().nullish(),
  card_type: z.string().nullish(),
  currency: z.string().min(1),
  digital_products_delivered: z.boolean().nullish(),
  discount_id: z.string().nullish(),
  error_code: z.string().nullish(),
  error_message: z.string().nullish(),
  payment_link: z.string().nullish(),
  payment_method: z.string().nullish(),
  payment_method_type: z.string().nullish(),
  settlement_amount: int32.nullish(),
  settlement_currency: z.string().nullish(),
  settlement_tax: int32.nullish(),
  status: z.string().nullish(),
  subscription_id: z.string().nullish(),
  tax: int32.nullish(),
  total_amount: int32,
  billing: jsonObject.nullish(),
  customer: z.looseObject({ email: z.string().nullish() }).nullish(),
  disputes: z.array(z.unknown()).nullish(),
  metadata: jsonObject.nullish(),
  product_cart: z.array(z.unknown()).nullish(),
  refunds: z.array(z.unknown()).nullish(),
});

export type DodoPayment = z.output<typeof dodoPaymentSchema>;

/** A Dodo refund: the data of `refund.*` events, and each entry of a payment's `refunds`. */
export const dodoRefundSchema = z.object({
  refund_id: z.string().min(1).max(255),
  payment_id: z.string().min(1).max(255),
  created_at: instant,
  status: z.string().min(1).max(50),
  is_partial: z.boolean(),
  amount: int32.nullish(),
  currency: z.string().nullish(),
  reason: z.string().max(2000).nullish(),
});

export type DodoRefund = z.output<typeof dodoRefundSchema>;

/** A Dodo dispute: the data of `dispute.*` events, and each entry of a payment's `disputes`. */
export const dodoDisputeSchema = z.object({
  dispute_id: z.string().min(1).max(255),
  payment_id: z.string().min(1).max(255),
  created_at: instant,
  dispute_status: z.string().min(1).max(50),
  dispute_stage: z.string().max(50).nullish(),
  amount: z.union([z.string().max(50), z.number()]).nullish(),
  currency: z.string().nullish(),
  remarks: z.string().max(2000).nullish(),
});

export type DodoDispute = z.output<typeof dodoDisputeSchema>;
