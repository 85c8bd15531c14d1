import { z } from "@hono/zod-openapi";
import { errorEnvelopeSchema } from "../../http/error-envelope";
import { route } from "../../http/middleware/auth";
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

export const getBillingRoute = route({
  method: "get",
  path: "/api/billing",
  tags: ["Billing"],
  summary: "The caller's Polar subscriptions and Dodo Payments payments, newest first.",
  ...authenticated,
  responses: {
    200: jsonContent(billingSchema, "The caller's billing records"),
    401: errorResponses[401],
    503: errorResponses[503],
  },
});

export const billingProviderSchema = z
  .enum(["polar", "dodo"])
  .openapi("BillingProvider", { description: "`polar` (subscriptions) or `dodo` (Dodo Payments, one-off payments)" });

export const billingProviderRequestSchema = z
  .object({ provider: billingProviderSchema })
  .openapi("BillingProviderRequest");

export const checkoutSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "The provider's checkout id (Polar) or checkout session id (Dodo Payments)" }),
    provider: billingProviderSchema,
    url: z.url().openapi({ description: "The provider's hosted checkout page: send the traveller there" }),
    expiresAt: instant.openapi({ description: "When the checkout stops accepting payment" }),
  })
  .openapi("Checkout");

export const customerPortalSchema = z
  .object({
    url: z.url().openapi({ description: "A short-lived link to the provider's customer portal" }),
  })
  .openapi("CustomerPortal");

const providerFailed = {
  description: "The payment provider failed, timed out or answered something unusable (generic message)",
  content: { "application/json": { schema: errorEnvelopeSchema } },
};

export const createCheckoutRoute = route({
  method: "post",
  path: "/api/billing/checkout",
  tags: ["Billing"],
  summary: "Start a Pro checkout with Polar or Dodo Payments.",
  description:
    "Creates the checkout with the provider's API and answers its hosted page's `url`. The provider comes " +
    "back to `/settings` on this app. Pro starts only when the provider's webhook arrives, never from the " +
    "return URL. A provider that is not configured (no API credential or no Pro product) is 400; an " +
    "unverified email where verification is required is 403; a caller already Pro through that provider " +
    "is 409 (use the customer portal instead).",
  ...authenticated,
  request: { body: { required: true, content: { "application/json": { schema: billingProviderRequestSchema } } } },
  responses: {
    201: jsonContent(checkoutSchema, "The created checkout"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    409: errorResponses[409],
    502: providerFailed,
    503: errorResponses[503],
  },
});

export const createPortalRoute = route({
  method: "post",
  path: "/api/billing/portal",
  tags: ["Billing"],
  summary: "Open the provider's customer portal to manage a subscription or see payments.",
  description:
    "Creates a customer portal session for the caller's own customer record with the provider (from " +
    "their stored subscription or payment). 404 when the caller has nothing with that provider; 400 when " +
    "the provider is not configured.",
  ...authenticated,
  request: { body: { required: true, content: { "application/json": { schema: billingProviderRequestSchema } } } },
  responses: {
    200: jsonContent(customerPortalSchema, "The portal link"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    502: providerFailed,
    503: errorResponses[503],
  },
});
