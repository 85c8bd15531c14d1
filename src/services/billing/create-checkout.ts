import { z } from "zod";
import type { Queryable } from "../../db/client";
import { listPlanCandidates } from "../../db/queries/billing";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import type { HttpClient } from "../../outbound/safe-fetch";
import {
  appOriginOf,
  type BillingProvider,
  billingProviderNames,
  type ProviderApi,
  postToProvider,
  providerApiOf,
  providerPageUrl,
} from "./billing-provider-api";
import {
  BILLING_USER_ID_KEY,
  BILLING_USER_SIGNATURE_KEY,
  billingMetadataSecretOf,
  signBillingUser,
} from "./billing-user-signature";
import { decidePlan } from "./decide-plan";
import { proPaymentsSince } from "./get-plan";

export interface CheckoutUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

export interface Checkout {
  id: string;
  provider: BillingProvider;
  /** The provider's hosted checkout page. */
  url: string;
  expiresAt: Date;
}

export interface CheckoutContext {
  db: Queryable;
  config: Config;
  http: HttpClient;
  log: Logger;
  now?: Date;
}

const polarCheckoutSchema = z.object({
  id: z.string().min(1).max(255),
  url: providerPageUrl,
  expires_at: z.iso.datetime({ offset: true }),
});

const dodoCheckoutSchema = z.object({
  session_id: z.string().min(1).max(255),
  checkout_url: providerPageUrl,
});

/** Dodo checkout sessions stay open this long; its answer does not say. */
const DODO_SESSION_MS = 24 * 60 * 60 * 1000;

/**
 * Starts a Pro checkout with the provider's API for a signed-in user. Refuses, before any provider
 * call: a provider without its credential or a Pro product (BAD_REQUEST, naming it), an unverified
 * email where verification is required (FORBIDDEN), a user already Pro through that provider (CONFLICT,
 * pointing at the customer portal). The checkout carries the user id and the server's signature of it
 * in its metadata, which is what lets a webhook attribute the purchase.
 */
export async function createCheckout({
  ctx,
  input,
}: {
  ctx: CheckoutContext;
  input: { provider: BillingProvider; user: CheckoutUser };
}): Promise<Checkout> {
  const { config } = ctx;
  const { provider, user } = input;
  const name = billingProviderNames[provider];
  const api = providerApiOf(config, provider);
  const productId = (provider === "polar" ? config.POLAR_PRO_PRODUCT_IDS : config.DODO_PRO_PRODUCT_IDS)[0];
  const secret = billingMetadataSecretOf(config);
  if (!api || !productId || !secret) {
    // A provider that is simply off is no news; one with a credential but nothing to sell is an operator's slip.
    if (api) {
      ctx.log.warn("billing.checkout.unconfigured", {
        provider,
        proProduct: Boolean(productId),
        metadataSecret: Boolean(secret),
      });
    }
    throw new AppError("BAD_REQUEST", `${name} checkout is not configured`);
  }
  if (config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerified) {
    throw new AppError("FORBIDDEN", "Verify your email address before starting a checkout");
  }
  await assertNotProThrough(ctx, provider, user.id);

  const metadata = {
    [BILLING_USER_ID_KEY]: user.id,
    [BILLING_USER_SIGNATURE_KEY]: await signBillingUser(secret, user.id),
  };
  const origin = appOriginOf(config);
  return provider === "polar"
    ? createPolarCheckout(ctx, api, { productId, user, metadata, origin })
    : createDodoCheckout(ctx, api, { productId, user, metadata, origin });
}

async function assertNotProThrough(ctx: CheckoutContext, provider: BillingProvider, userId: string) {
  const now = ctx.now ?? new Date();
  const candidates = await listPlanCandidates(ctx.db, { userId, paidAfter: proPaymentsSince(ctx.config, now) });
  // Only this provider's records count: Pro through the other one is no reason to refuse.
  const plan = decidePlan({
    subscriptions: provider === "polar" ? candidates.subscriptions : [],
    payments: provider === "dodo" ? candidates.payments : [],
    config: ctx.config,
    now,
  });
  if (plan.tier !== "pro") return;
  const name = billingProviderNames[provider];
  throw new AppError("CONFLICT", `You are already Pro through ${name}. Use "Manage subscription" to change it.`, {
    details: { provider, until: plan.until?.toISOString() ?? null, portal: "/api/billing/portal" },
  });
}

interface CheckoutRequest {
  productId: string;
  user: CheckoutUser;
  metadata: Record<string, string>;
  origin: string;
}

async function createPolarCheckout(ctx: CheckoutContext, api: ProviderApi, request: CheckoutRequest) {
  const { productId, user, metadata, origin } = request;
  const created = await postToProvider(
    ctx,
    api,
    {
      operation: "checkout.create",
      path: "/v1/checkouts/",
      body: {
        products: [productId],
        external_customer_id: user.id,
        customer_email: user.email,
        // Polar fills in {CHECKOUT_ID} itself, so the braces must stay unencoded.
        success_url: `${origin}/settings?checkout=success&checkout_id={CHECKOUT_ID}`,
        return_url: `${origin}/settings`,
        metadata,
      },
    },
    polarCheckoutSchema,
  );
  return { id: created.id, provider: "polar", url: created.url, expiresAt: new Date(created.expires_at) } as const;
}

async function createDodoCheckout(ctx: CheckoutContext, api: ProviderApi, request: CheckoutRequest) {
  const { productId, user, metadata, origin } = request;
  const startedAt = ctx.now ?? new Date();
  const created = await postToProvider(
    ctx,
    api,
    {
      operation: "checkout.create",
      path: "/checkouts",
      body: {
        product_cart: [{ product_id: productId, quantity: 1 }],
        customer: { email: user.email, name: user.name.trim() || user.email },
        metadata,
        // Dodo appends ?payment_id=&status=, which proves nothing: only the webhook makes the user Pro.
        return_url: `${origin}/settings?checkout=dodo`,
      },
    },
    dodoCheckoutSchema,
  );
  return {
    id: created.session_id,
    provider: "dodo",
    url: created.checkout_url,
    expiresAt: new Date(startedAt.getTime() + DODO_SESSION_MS),
  } as const;
}
