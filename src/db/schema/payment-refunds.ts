import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Not a seed table: Dodo refunds, one row per refund, from `refund.*` deliveries and from the `refunds`
 * a payment event carries. A payment whose refunds add up to all of it no longer makes its payer Pro.
 * No foreign key to `payment`: a refund can be delivered before its payment, and the rows outlive a
 * payment's user for accounting, like the payment itself.
 */
export const paymentRefund = pgTable(
  "payment_refund",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    // `pending`, `review`, `succeeded` or `failed` (Dodo's refund statuses); only `succeeded` counts.
    status: text("status").notNull(),
    isPartial: boolean("is_partial").notNull(),
    // In the payment's smallest currency unit; null when Dodo did not say (a full refund).
    amount: integer("amount"),
    currency: text("currency"),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    // Ordering key for out-of-order deliveries: when the delivery carrying this state was sent.
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("payment_refund_payment_id_idx").on(t.paymentId)],
);

export type PaymentRefund = InferSelectModel<typeof paymentRefund>;
export type NewPaymentRefund = InferInsertModel<typeof paymentRefund>;
