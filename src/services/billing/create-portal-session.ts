import { z } from "zod";
import type { Queryable } from "../../db/client";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import type { HttpClient } from "../../outbound/safe-fetch";
import {
  appOriginOf,
  type BillingProvider,
  billingProviderNames,
  postToProvider,
  providerApiOf,
  providerPageUrl,
} from "./billing-provider-api";
import { findBillingCustomer } from "./find-billing-customer";

const polarCustomerSessionSchema = z.object({ customer_portal_url: providerPageUrl });
const dodoPortalSessionSchema = z.object({ link: providerPageUrl });

/**
 * A customer portal session for the user's own customer record with the provider, to manage a
 * subscription or see past payments. BAD_REQUEST when the provider's credential is not configured,
 * NOT_FOUND when the user has no stored record with it, BAD_GATEWAY when the provider fails.
 */
export async function createPortalSession({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; http: HttpClient; log: Logger };
  input: { provider: BillingProvider; userId: string };
}): Promise<{ url: string }> {
  const { provider } = input;
  const name = billingProviderNames[provider];
  const api = providerApiOf(ctx.config, provider);
  if (!api) throw new AppError("BAD_REQUEST", `${name} customer portal is not configured`);

  const customerId = await findBillingCustomer({ ctx, input });
  if (!customerId) throw new AppError("NOT_FOUND", `You have no subscription or payment with ${name}`);

  if (provider === "polar") {
    const session = await postToProvider(
      ctx,
      api,
      {
        operation: "customer-session.create",
        path: "/v1/customer-sessions/",
        body: { customer_id: customerId, return_url: `${appOriginOf(ctx.config)}/settings` },
      },
      polarCustomerSessionSchema,
    );
    return { url: session.customer_portal_url };
  }
  const session = await postToProvider(
    ctx,
    api,
    {
      operation: "customer-portal.create",
      path: `/customers/${encodeURIComponent(customerId)}/customer-portal/session`,
    },
    dodoPortalSessionSchema,
  );
  return { url: session.link };
}
