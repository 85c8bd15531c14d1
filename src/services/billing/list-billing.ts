import type { Queryable } from "../../db/client";
import { listPaymentsOfUser, listSubscriptionsOfUser } from "../../db/queries/billing";

/** The user's own subscriptions and payments, newest first, without the provider's customer records. */
export async function listBilling({ ctx, input }: { ctx: { db: Queryable }; input: { userId: string } }) {
  const subscriptions = await listSubscriptionsOfUser(ctx.db, input.userId);
  const payments = await listPaymentsOfUser(ctx.db, input.userId);
  return { subscriptions, payments };
}
