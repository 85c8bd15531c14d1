import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Not a seed table: Dodo disputes (chargebacks), one row per dispute, from `dispute.*` deliveries and from
 * the `disputes` a payment event carries. A dispute accepted or lost returned the money to the buyer, so
 * its payment no longer makes them Pro. No foreign key to `payment`, as for refunds.
 */
export const paymentDispute = pgTable(
  "payment_dispute",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    // Dodo's `dispute_status`: dispute_opened, _challenged, _expired, _cancelled, _won, _accepted, _lost.
    status: text("status").notNull(),
    // Dodo's `dispute_stage`: pre_dispute, dispute, pre_arbitration.
    stage: text("stage"),
    // As Dodo sends it: a decimal string.
    amount: text("amount"),
    currency: text("currency"),
    remarks: text("remarks"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    // Ordering key for out-of-order deliveries: when the delivery carrying this state was sent.
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("payment_dispute_payment_id_idx").on(t.paymentId)],
);

export type PaymentDispute = InferSelectModel<typeof paymentDispute>;
export type NewPaymentDispute = InferInsertModel<typeof paymentDispute>;
