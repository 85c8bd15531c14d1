import type { Config } from "../../env";
import type { Plan } from "./plan";

export interface PlanSubscription {
  status: string;
  productId: string;
  currentPeriodEnd: Date | null;
}

export interface PlanPayment {
  status: string | null;
  productCart: unknown;
  createdAt: Date;
  /** The payment's amount, to compare its refunds with; null when unknown. */
  totalAmount?: number | null;
  /** The sum of its succeeded refunds (0 when none). */
  refundedAmount?: number;
  /** Whether a succeeded refund was a full one. */
  fullyRefunded?: boolean;
  /** The statuses of its disputes (Dodo's `dispute_status`). */
  disputeStatuses?: readonly string[];
}

export type PlanConfig = Pick<Config, "POLAR_PRO_PRODUCT_IDS" | "DODO_PRO_PRODUCT_IDS" | "DODO_PRO_DAYS">;

const ACTIVE_SUBSCRIPTION_STATUSES = new Set(["active", "trialing"]);
/** Disputes that returned the money to the buyer: accepted without a contest, or lost. */
const REVERSING_DISPUTE_STATUSES = new Set(["dispute_accepted", "dispute_lost"]);
const DAY_MS = 24 * 60 * 60 * 1000;

/** Product ids in a Dodo `product_cart` (`[{ product_id, quantity }]`); anything else counts as none. */
export function productIdsInCart(cart: unknown): string[] {
  if (!Array.isArray(cart)) return [];
  return cart.flatMap((item) => {
    const id = (item as { product_id?: unknown } | null)?.product_id;
    return typeof id === "string" ? [id] : [];
  });
}

/**
 * Who is Pro, from stored billing rows and configuration only. Pro = a Polar subscription that is
 * `active`/`trialing` for a configured product whose current period has not ended (a missing period end
 * means no end), or a `succeeded` Dodo payment for a configured product made less than DODO_PRO_DAYS ago
 * and not refunded in full (a full refund, or partial ones adding up to its amount; a partial refund
 * alone leaves Pro as it is) nor charged back (a dispute accepted or lost; an open one leaves Pro as it is).
 * When several qualify, the one lasting longest wins (no end beats any end; Polar wins ties).
 */
export function decidePlan(input: {
  subscriptions: readonly PlanSubscription[];
  payments: readonly PlanPayment[];
  config: PlanConfig;
  now: Date;
}): Plan {
  const { config, now } = input;
  const polarProducts = new Set(config.POLAR_PRO_PRODUCT_IDS);
  const dodoProducts = new Set(config.DODO_PRO_PRODUCT_IDS);
  const candidates: Plan[] = [];

  for (const sub of input.subscriptions) {
    if (!ACTIVE_SUBSCRIPTION_STATUSES.has(sub.status) || !polarProducts.has(sub.productId)) continue;
    if (sub.currentPeriodEnd && sub.currentPeriodEnd.getTime() <= now.getTime()) continue;
    candidates.push({ tier: "pro", source: "polar", until: sub.currentPeriodEnd });
  }

  for (const pay of input.payments) {
    if (pay.status !== "succeeded" || isRefunded(pay) || isChargedBack(pay)) continue;
    if (!productIdsInCart(pay.productCart).some((id) => dodoProducts.has(id))) continue;
    const until = new Date(pay.createdAt.getTime() + config.DODO_PRO_DAYS * DAY_MS);
    if (until.getTime() <= now.getTime()) continue;
    candidates.push({ tier: "pro", source: "dodo", until });
  }

  let best: Plan | null = null;
  for (const candidate of candidates) {
    if (!best || lastsLonger(candidate, best)) best = candidate;
  }
  return best ?? { tier: "free", source: null, until: null };
}

function isRefunded(pay: PlanPayment): boolean {
  if (pay.fullyRefunded) return true;
  const refunded = pay.refundedAmount ?? 0;
  return refunded > 0 && pay.totalAmount != null && refunded >= pay.totalAmount;
}

function isChargedBack(pay: PlanPayment): boolean {
  return (pay.disputeStatuses ?? []).some((status) => REVERSING_DISPUTE_STATUSES.has(status));
}

function lastsLonger(a: Plan, b: Plan): boolean {
  if (b.until === null) return false;
  if (a.until === null) return true;
  return a.until.getTime() > b.until.getTime();
}
