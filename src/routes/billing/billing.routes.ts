import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../http/middleware/auth";
import { authenticated, errorResponses, jsonContent } from "../../http/openapi";

const instant = z.iso.datetime({ offset: true });

export const billingSubscriptionSchema = z
  .object({
    id: z.string().openapi({ description: "Polar subscription id" }),
    status: z.string().openapi({ example: "active" }),
    productId: z.string(),
    amount: z.number().int().openapi({ description: "In the currency's smallest unit" }),
    currency: z.string(),
    recurringInterval: z.string().openapi({ example: "month" }),
    currentPeriodStart: instant,
    currentPeriodEnd: instant.nullable(),
    cancelAtPeriodEnd: z.boolean(),
    canceledAt: instant.nullable(),
    startedAt: instant.nullable(),
    endsAt: instant.nullable(),
    endedAt: instant.nullable(),
    createdAt: instant,
    modifiedAt: instant.nullable(),
  })
  .openapi("BillingSubscription");

export const billingRefundSchema = z
  .object({
    id: z.string().openapi({ description: "Dodo Payments refund id" }),
    status: z.string().openapi({ example: "succeeded" }),
    amount: z.number().int().nullable().openapi({ description: "In the currency's smallest unit" }),
    currency: z.string().nullable(),
    isPartial: z.boolean(),
    createdAt: instant,
  })
  .openapi("BillingRefund");

export const billingDisputeSchema = z
  .object({
    id: z.string().openapi({ description: "Dodo Payments dispute id" }),
    status: z.string().openapi({ example: "dispute_opened" }),
    stage: z.string().nullable().openapi({ example: "dispute" }),
    amount: z.string().nullable().openapi({ description: "As Dodo Payments states it (a decimal string)" }),
    currency: z.string().nullable(),
    createdAt: instant,
  })
  .openapi("BillingDispute");

export const billingPaymentSchema = z
  .object({
    id: z.string().openapi({ description: "Dodo Payments payment id" }),
    status: z.string().nullable().openapi({ example: "succeeded" }),
    totalAmount: z.number().int().openapi({ description: "In the currency's smallest unit, tax included" }),
    tax: z.number().int().nullable(),
    currency: z.string(),
    products: z.array(z.object({ productId: z.string(), quantity: z.number().nullable() })),
    subscriptionId: z.string().nullable(),
    paymentMethod: z.string().nullable(),
    paymentMethodType: z.string().nullable(),
    cardLastFour: z.string().nullable(),
    cardNetwork: z.string().nullable(),
    cardType: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant.nullable(),
    refunds: z.array(billingRefundSchema).openapi({
      description: "Its refunds, oldest first. Refunded in full (together), it no longer counts for Pro.",
    }),
    disputes: z.array(billingDisputeSchema).openapi({
      description: "Its disputes, oldest first. Once one is accepted or lost, it no longer counts for Pro.",
    }),
  })
  .openapi("BillingPayment");

export const billingSchema = z
  .object({
    subscriptions: z.array(billingSubscriptionSchema),
    payments: z.array(billingPaymentSchema),
  })
  .openapi("Billing");

export const getBilling = createRoute({
  method: "get",
  path: "/api/billing",
  tags: ["Billing"],
  summary: "The caller's Polar subscriptions and Dodo Payments payments, newest first.",
  ...authenticated,
  middleware: [requireUser()] as const,
  responses: {
    200: jsonContent(billingSchema, "The caller's billing records"),
    401: errorResponses[401],
    503: errorResponses[503],
  },
});
