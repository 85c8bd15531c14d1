import { and, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { payment, subscription } from "../../db/schema/billing";
import type { BillingProvider } from "./billing-provider-api";

/**
 * The provider's customer id for the user, from their newest stored record with that provider: a Polar
 * subscription's `customer_id`, or the `customer.customer_id` a Dodo payment carries. Null when the user
 * has nothing with the provider (or only Dodo payments stored without a customer id).
 */
export async function findBillingCustomer({
  ctx,
  input,
}: {
  ctx: { db: Queryable };
  input: { provider: BillingProvider; userId: string };
}): Promise<string | null> {
  if (input.provider === "polar") {
    const [row] = await ctx.db
      .select({ customerId: subscription.customerId })
      .from(subscription)
      .where(eq(subscription.userId, input.userId))
      .orderBy(desc(sql`coalesce(${subscription.modifiedAt}, ${subscription.createdAt})`), desc(subscription.id))
      .limit(1);
    return row?.customerId || null;
  }
  const customerId = sql<string | null>`${payment.customer}->>'customer_id'`;
  const [row] = await ctx.db
    .select({ customerId })
    .from(payment)
    .where(and(eq(payment.userId, input.userId), sql`coalesce(${customerId}, '') <> ''`))
    .orderBy(desc(payment.createdAt), desc(payment.id))
    .limit(1);
  return row?.customerId ?? null;
}
