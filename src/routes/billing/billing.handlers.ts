import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppRouteHandler } from "../../http/openapi";
import type { AppEnv } from "../../http/types";
import { createHttpClient } from "../../outbound/safe-fetch";
import { createCheckout } from "../../services/billing/create-checkout";
import { createPortalSession } from "../../services/billing/create-portal-session";
import { listBilling } from "../../services/billing/list-billing";
import type { billingPaymentSchema, createCheckoutRoute, createPortalRoute, getBillingRoute } from "./billing.routes";

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Only the product ids and quantities of a stored Dodo cart; anything else in it stays server-side. */
function cartItems(cart: unknown): z.input<typeof billingPaymentSchema>["products"] {
  if (!Array.isArray(cart)) return [];
  return cart.flatMap((entry) => {
    const item = (entry ?? {}) as { product_id?: unknown; quantity?: unknown };
    if (typeof item.product_id !== "string") return [];
    return [{ productId: item.product_id, quantity: typeof item.quantity === "number" ? item.quantity : null }];
  });
}

export const getBillingHandler: AppRouteHandler<typeof getBillingRoute> = async (c) => {
  const { subscriptions, payments } = await listBilling({
    ctx: { db: c.get("deps").db },
    input: { userId: c.get("user").id },
  });
  return c.json(
    {
      subscriptions: subscriptions.map((s) => ({
        ...s,
        currentPeriodStart: s.currentPeriodStart.toISOString(),
        currentPeriodEnd: iso(s.currentPeriodEnd),
        canceledAt: iso(s.canceledAt),
        startedAt: iso(s.startedAt),
        endsAt: iso(s.endsAt),
        endedAt: iso(s.endedAt),
        createdAt: s.createdAt.toISOString(),
        modifiedAt: iso(s.modifiedAt),
      })),
      payments: payments.map(({ productCart, ...p }) => ({
        ...p,
        products: cartItems(productCart),
        createdAt: p.createdAt.toISOString(),
        updatedAt: iso(p.updatedAt),
        refunds: p.refunds.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })),
        disputes: p.disputes.map((d) => ({ ...d, createdAt: new Date(d.createdAt).toISOString() })),
      })),
    },
    200,
  );
};

/** What the provider calls need: the request's database, configuration and logger, and the outbound client. */
function providerContext(c: Context<AppEnv>) {
  const deps = c.get("deps");
  return { db: deps.db, config: deps.config, log: deps.log, http: createHttpClient() };
}

export const createCheckoutHandler: AppRouteHandler<typeof createCheckoutRoute> = async (c) => {
  const user = c.get("user");
  const checkout = await createCheckout({
    ctx: providerContext(c),
    input: {
      provider: c.req.valid("json").provider,
      user: { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified },
    },
  });
  return c.json({ ...checkout, expiresAt: checkout.expiresAt.toISOString() }, 201);
};

export const createPortalHandler: AppRouteHandler<typeof createPortalRoute> = async (c) => {
  const portal = await createPortalSession({
    ctx: providerContext(c),
    input: { provider: c.req.valid("json").provider, userId: c.get("user").id },
  });
  return c.json(portal, 200);
};
