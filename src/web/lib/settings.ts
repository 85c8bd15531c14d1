// The settings page's own shapes and decisions, kept apart from the components so they can be tested in Node.
import { browserTimeZone } from "./format";
import type { BillingProvider, Me } from "./types";

/** The server's limit for custom instructions (src/services/account/custom-instructions.ts). */
export const INSTRUCTIONS_MAX = 4000;

// `GET /api/billing` (src/routes/billing/billing.routes.ts). Amounts are in the currency's smallest unit.
export interface BillingSubscription {
  id: string;
  status: string;
  productId: string;
  amount: number;
  currency: string;
  recurringInterval: string;
  currentPeriodStart: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  startedAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  createdAt: string;
  modifiedAt: string | null;
}

export interface BillingRefund {
  id: string;
  status: string;
  amount: number | null;
  currency: string | null;
  isPartial: boolean;
  createdAt: string;
}

export interface BillingDispute {
  id: string;
  status: string;
  stage: string | null;
  /** As Dodo Payments states it: a decimal string. */
  amount: string | null;
  currency: string | null;
  createdAt: string;
}

export interface BillingPayment {
  id: string;
  status: string | null;
  totalAmount: number;
  tax: number | null;
  currency: string;
  products: { productId: string; quantity: number | null }[];
  subscriptionId: string | null;
  paymentMethod: string | null;
  paymentMethodType: string | null;
  cardLastFour: string | null;
  cardNetwork: string | null;
  cardType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  updatedAt: string | null;
  refunds: BillingRefund[];
  disputes: BillingDispute[];
}

export interface Billing {
  subscriptions: BillingSubscription[];
  payments: BillingPayment[];
}

const providerNames: Record<BillingProvider, string> = { polar: "Polar", dodo: "Dodo Payments" };

export function providerName(provider: BillingProvider): string {
  return providerNames[provider] ?? provider;
}

export interface BillingActions {
  /** Providers to offer an upgrade through, in the server's order. */
  upgrade: BillingProvider[];
  /** The provider whose portal manages the current subscription. */
  manage: BillingProvider | null;
  /** No payment provider is configured at all: nothing can be bought or managed here. */
  notConfigured: boolean;
}

/**
 * Which billing buttons to show. A Pro plan from a provider that is no longer configured (or from no
 * provider) cannot be managed from here, and offering an upgrade to someone already Pro would only
 * earn a 409.
 */
export function billingActions(plan: Me["plan"], configured: readonly BillingProvider[]): BillingActions {
  if (configured.length === 0) return { upgrade: [], manage: null, notConfigured: true };
  if (plan.tier === "free") return { upgrade: [...configured], manage: null, notConfigured: false };
  const manage = plan.source && configured.includes(plan.source) ? plan.source : null;
  return { upgrade: [], manage, notConfigured: false };
}

/** "Upgrade" when there is one way to pay; naming the provider only when there is a choice. */
export function upgradeLabel(provider: BillingProvider, providerCount: number): string {
  return providerCount > 1 ? `Upgrade with ${providerName(provider)}` : "Upgrade";
}

/** `mylo-export-2026-12-08.json`, dated in the traveller's own time zone. */
export function exportFileName(now = new Date(), timeZone = browserTimeZone()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone })
    .formatToParts(now)
    .reduce<Record<string, string>>((found, part) => {
      found[part.type] = part.value;
      return found;
    }, {});
  return `mylo-export-${parts.year}-${parts.month}-${parts.day}.json`;
}

/** An amount in the currency's smallest unit as money ("€9.00", "¥900"); an unknown currency keeps its code. */
export function formatMoney(minorUnits: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  try {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency: code });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minorUnits / 10 ** digits);
  } catch {
    return `${(minorUnits / 100).toFixed(2)} ${code}`;
  }
}

/** "dispute_opened" → "Dispute opened": the providers' status words as a sentence fragment. */
export function humanizeStatus(status: string | null | undefined): string {
  if (!status) return "Unknown";
  const words = status.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown";
}

/** "month" → "per month"; anything unexpected is shown as the provider wrote it. */
export function intervalLabel(interval: string): string {
  const known: Record<string, string> = { day: "per day", week: "per week", month: "per month", year: "per year" };
  return known[interval.toLowerCase()] ?? `per ${interval}`;
}

export type CheckoutOutcome = "confirming" | "not-completed";

const notCompleted = new Set(["cancel", "canceled", "cancelled", "failed", "expired", "return", "back"]);

/**
 * What to say after coming back from a provider's checkout. The return address proves nothing about
 * the payment (only the provider's webhook does), so success is only ever "being confirmed"; a provider
 * that reports a cancelled or failed payment on the way back is believed, as that costs nothing.
 */
export function checkoutOutcome(search: string): CheckoutOutcome | null {
  const params = new URLSearchParams(search);
  const checkout = params.get("checkout");
  if (checkout === null) return null;
  const status = params.get("status")?.toLowerCase() ?? "";
  if (notCompleted.has(checkout.toLowerCase()) || notCompleted.has(status)) return "not-completed";
  return "confirming";
}

/** The page's address without `checkout` and the provider's own return parameters. */
export function withoutCheckoutParams(search: string): string {
  const params = new URLSearchParams(search);
  for (const key of ["checkout", "status", "payment_id", "subscription_id", "checkout_id", "customer_session_token"])
    params.delete(key);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** How far through an allowance the traveller is, 0 to 1; null when there is no limit to measure against. */
export function usageFraction(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, used / limit));
}

/**
 * Whether a cache entry belongs to the signed-in account, and so must go when the account or session
 * does. The server's public configuration is the same for everyone and stays: cleared within SWR's
 * deduplication window, a page mounting next would drop its fresh answer and be left without it.
 */
export function belongsToAccount(key: unknown): boolean {
  return key !== "config";
}
