import type { Queryable } from "../../db/client";
import { readPlanAndUsage } from "../../db/queries/billing";
import type { Config } from "../../env";
import { decidePlan } from "../billing/decide-plan";
import { proPaymentsSince } from "../billing/get-plan";
import type { Plan } from "../billing/plan";
import { summarizeUsage, type UsageSummary } from "../usage/summarize-usage";
import { dayPeriod, monthPeriod } from "../usage/usage-periods";

/** What a status taken at `now` reads: Pro payments recent enough, today's and this month's counters. */
function boundsAt(config: Config, now: Date) {
  return { paidAfter: proPaymentsSince(config, now), day: dayPeriod(now).start, month: monthPeriod(now).start };
}

/**
 * The caller's plan and usage for `GET /api/me`, read in one round trip; the rules are decidePlan's and
 * summarizeUsage's.
 */
export async function getAccountStatus({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string };
}): Promise<{ plan: Plan; usage: UsageSummary }> {
  const now = ctx.now ?? new Date();
  const read = await readPlanAndUsage(ctx.db, { userId: input.userId, ...boundsAt(ctx.config, now) });
  const plan = decidePlan({ subscriptions: read.subscriptions, payments: read.payments, config: ctx.config, now });
  const usage = summarizeUsage({
    config: ctx.config,
    plan,
    now,
    messages: read.messages,
    extremeSearches: read.searches,
  });
  return { plan, usage };
}
