import type { Queryable } from "../../db/client";
import { listPlanCandidates } from "../../db/queries/billing";
import type { Config } from "../../env";
import { decidePlan } from "./decide-plan";
import type { Plan } from "./plan";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Dodo payments made after this instant can still make their payer Pro. */
export function proPaymentsSince(config: Config, now: Date): Date {
  return new Date(now.getTime() - config.DODO_PRO_DAYS * DAY_MS);
}

/** The user's plan, derived only from stored billing rows and configuration (rules in decidePlan). */
export async function getPlan({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string };
}): Promise<Plan> {
  const now = ctx.now ?? new Date();
  const { subscriptions, payments } = await listPlanCandidates(ctx.db, {
    userId: input.userId,
    paidAfter: proPaymentsSince(ctx.config, now),
  });
  return decidePlan({ subscriptions, payments, config: ctx.config, now });
}
