import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { boolean, integer, json, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";

// Both tables mirror provider webhook payloads, so their timestamps carry the
// provider's values and have no database defaults. `user_id` is nullable and has
// no cascade: billing rows are kept for accounting after the user is deleted
// (the deletion sets it to NULL), and a payment may arrive before its user is known.

// Polar subscription. NOT NULL only where Polar's subscription object always has
// a value; the rest is nullable in Polar's own schema.
export const subscription = pgTable("subscription", {
  id: text("id").primaryKey(),
  userId: text("user_id").references(() => user.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  modifiedAt: timestamp("modified_at", { withTimezone: true }),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  recurringInterval: text("recurring_interval").notNull(),
  status: text("status").notNull(),
  currentPeriodStart: timestamp("current_period_start", { withTimezone: true }).notNull(),
  currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
  cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
  canceledAt: timestamp("canceled_at", { withTimezone: true }),
  startedAt: timestamp("started_at", { withTimezone: true }),
  endsAt: timestamp("ends_at", { withTimezone: true }),
  endedAt: timestamp("ended_at", { withTimezone: true }),
  customerId: text("customer_id").notNull(),
  productId: text("product_id").notNull(),
  discountId: text("discount_id"),
  checkoutId: text("checkout_id"),
  customerCancellationReason: text("customer_cancellation_reason"),
  customerCancellationComment: text("customer_cancellation_comment"),
  // JSON-encoded strings (text in the seed), not json columns.
  metadata: text("metadata"),
  customFieldData: text("custom_field_data"),
});

// Dodo Payments payment, keyed by Dodo's payment_id. Only the identity, time and
// amount fields are NOT NULL: Dodo documents `status`, `updated_at` and most
// card/settlement fields as nullable, and payment events other than
// payment.succeeded may omit more, so a stricter schema would reject real deliveries.
export const payment = pgTable("payment", {
  id: text("id").primaryKey(),
  userId: text("user_id").references(() => user.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
  brandId: text("brand_id"),
  businessId: text("business_id"),
  cardIssuingCountry: text("card_issuing_country"),
  cardLastFour: text("card_last_four"),
  cardNetwork: text("card_network"),
  cardType: text("card_type"),
  currency: text("currency").notNull(),
  digitalProductsDelivered: boolean("digital_products_delivered"),
  discountId: text("discount_id"),
  errorCode: text("error_code"),
  errorMessage: text("error_message"),
  paymentLink: text("payment_link"),
  paymentMethod: text("payment_method"),
  paymentMethodType: text("payment_method_type"),
  settlementAmount: integer("settlement_amount"),
  settlementCurrency: text("settlement_currency"),
  settlementTax: integer("settlement_tax"),
  status: text("status"),
  subscriptionId: text("subscription_id"),
  tax: integer("tax"),
  totalAmount: integer("total_amount").notNull(),
  billing: json("billing").$type<Record<string, unknown>>(),
  customer: json("customer").$type<Record<string, unknown>>(),
  disputes: json("disputes").$type<unknown[]>(),
  metadata: json("metadata").$type<Record<string, unknown>>(),
  productCart: json("product_cart").$type<unknown[]>(),
  refunds: json("refunds").$type<unknown[]>(),
});

export type Subscription = InferSelectModel<typeof subscription>;
export type NewSubscription = InferInsertModel<typeof subscription>;
export type Payment = InferSelectModel<typeof payment>;
export type NewPayment = InferInsertModel<typeof payment>;
