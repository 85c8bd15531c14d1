import { describe, expect, it } from "vitest";
import { decidePlan, type PlanConfig, productIdsInCart } from "../../src/services/billing/decide-plan";

const NOW = new Date("2031-06-15T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

const config: PlanConfig = {
  POLAR_PRO_PRODUCT_IDS: ["prod_pro"],
  DODO_PRO_PRODUCT_IDS: ["pdt_pro"],
  DODO_PRO_DAYS: 30,
};
const unconfigured: PlanConfig = { POLAR_PRO_PRODUCT_IDS: [], DODO_PRO_PRODUCT_IDS: [], DODO_PRO_DAYS: 30 };
const FREE = { tier: "free", source: null, until: null };

const sub = (status: string, currentPeriodEnd: Date | null, productId = "prod_pro") => ({
  status,
  productId,
  currentPeriodEnd,
});
const pay = (status: string | null, createdAt: Date, cart: unknown = [{ product_id: "pdt_pro", quantity: 1 }]) => ({
  status,
  productCart: cart,
  createdAt,
});

describe("decidePlan: Polar subscriptions", () => {
  it.each([
    ["active, period ends later", sub("active", at(10)), { tier: "pro", source: "polar", until: at(10) }],
    ["trialing, period ends later", sub("trialing", at(3)), { tier: "pro", source: "polar", until: at(3) }],
    ["active with no period end", sub("active", null), { tier: "pro", source: "polar", until: null }],
    ["active, period ended a second ago", sub("active", new Date(NOW.getTime() - 1000)), FREE],
    ["active, period ends exactly now", sub("active", NOW), FREE],
    ["canceled", sub("canceled", at(10)), FREE],
    ["past_due", sub("past_due", at(10)), FREE],
    ["incomplete", sub("incomplete", at(10)), FREE],
    ["incomplete_expired", sub("incomplete_expired", at(10)), FREE],
    ["unpaid", sub("unpaid", at(10)), FREE],
    ["revoked", sub("revoked", at(10)), FREE],
    ["active, unconfigured product", sub("active", at(10), "prod_other"), FREE],
  ])("%s", (_name, subscription, expected) => {
    expect(decidePlan({ subscriptions: [subscription], payments: [], config, now: NOW })).toEqual(expected);
  });

  it("gives no Pro when no Polar product is configured", () => {
    expect(
      decidePlan({ subscriptions: [sub("active", at(10))], payments: [], config: unconfigured, now: NOW }),
    ).toEqual(FREE);
  });
});

describe("decidePlan: Dodo payments", () => {
  it.each([
    ["succeeded today", pay("succeeded", NOW), { tier: "pro", source: "dodo", until: at(30) }],
    ["succeeded 29 days ago", pay("succeeded", at(-29)), { tier: "pro", source: "dodo", until: at(1) }],
    ["succeeded exactly 30 days ago", pay("succeeded", at(-30)), FREE],
    ["succeeded 31 days ago", pay("succeeded", at(-31)), FREE],
    ["failed", pay("failed", at(-1)), FREE],
    ["processing", pay("processing", at(-1)), FREE],
    ["cancelled", pay("cancelled", at(-1)), FREE],
    ["requires_payment_method", pay("requires_payment_method", at(-1)), FREE],
    ["no status", pay(null, at(-1)), FREE],
    ["succeeded, unconfigured product", pay("succeeded", at(-1), [{ product_id: "pdt_other", quantity: 1 }]), FREE],
    ["succeeded, no cart", pay("succeeded", at(-1), null), FREE],
    ["succeeded, malformed cart", pay("succeeded", at(-1), { product_id: "pdt_pro" }), FREE],
    [
      "succeeded, Pro among other products",
      pay("succeeded", at(-1), [{ product_id: "pdt_other" }, { product_id: "pdt_pro", quantity: 2 }]),
      { tier: "pro", source: "dodo", until: at(29) },
    ],
  ])("%s", (_name, payment, expected) => {
    expect(decidePlan({ subscriptions: [], payments: [payment], config, now: NOW })).toEqual(expected);
  });

  it("uses the configured number of days", () => {
    const payments = [pay("succeeded", at(-40))];
    expect(decidePlan({ subscriptions: [], payments, config: { ...config, DODO_PRO_DAYS: 45 }, now: NOW })).toEqual({
      tier: "pro",
      source: "dodo",
      until: at(5),
    });
  });

  it.each([
    ["refunded in full", { fullyRefunded: true, refundedAmount: 0, totalAmount: 999 }, FREE],
    ["partial refunds adding up to the amount", { refundedAmount: 999, totalAmount: 999 }, FREE],
    ["partial refunds over the amount", { refundedAmount: 1200, totalAmount: 999 }, FREE],
    ["a partial refund", { refundedAmount: 500, totalAmount: 999 }, { tier: "pro", source: "dodo", until: at(29) }],
    [
      "no refund of a free payment",
      { refundedAmount: 0, totalAmount: 0 },
      { tier: "pro", source: "dodo", until: at(29) },
    ],
    [
      "refunds of an unknown amount",
      { refundedAmount: 500, totalAmount: null },
      { tier: "pro", source: "dodo", until: at(29) },
    ],
  ])("succeeded, %s", (_name, refunds, expected) => {
    const payment = { ...pay("succeeded", at(-1)), ...refunds };
    expect(decidePlan({ subscriptions: [], payments: [payment], config, now: NOW })).toEqual(expected);
  });

  it.each([
    ["an open dispute", ["dispute_opened"], { tier: "pro", source: "dodo", until: at(29) }],
    ["a won dispute", ["dispute_challenged", "dispute_won"], { tier: "pro", source: "dodo", until: at(29) }],
    ["an accepted dispute", ["dispute_accepted"], FREE],
    ["a lost dispute among others", ["dispute_won", "dispute_lost"], FREE],
  ])("succeeded, %s", (_name, disputeStatuses, expected) => {
    const payment = { ...pay("succeeded", at(-1)), disputeStatuses };
    expect(decidePlan({ subscriptions: [], payments: [payment], config, now: NOW })).toEqual(expected);
  });

  it("gives no Pro when no Dodo product is configured", () => {
    expect(
      decidePlan({ subscriptions: [], payments: [pay("succeeded", NOW)], config: unconfigured, now: NOW }),
    ).toEqual(FREE);
  });
});

describe("decidePlan: several sources", () => {
  it("picks what lasts longest, with no end beating any end", () => {
    const subscriptions = [sub("active", at(5)), sub("canceled", at(100))];
    const payments = [pay("succeeded", at(-10)), pay("succeeded", at(-2))];
    expect(decidePlan({ subscriptions, payments, config, now: NOW })).toEqual({
      tier: "pro",
      source: "dodo",
      until: at(28),
    });
    expect(decidePlan({ subscriptions: [...subscriptions, sub("active", null)], payments, config, now: NOW })).toEqual({
      tier: "pro",
      source: "polar",
      until: null,
    });
  });

  it("is free with nothing at all", () => {
    expect(decidePlan({ subscriptions: [], payments: [], config, now: NOW })).toEqual(FREE);
  });
});

describe("productIdsInCart", () => {
  it("reads product ids and ignores anything else", () => {
    expect(
      productIdsInCart([{ product_id: "a" }, null, 3, { product_id: 7 }, { product_id: "b", quantity: 1 }]),
    ).toEqual(["a", "b"]);
    expect(productIdsInCart(null)).toEqual([]);
    expect(productIdsInCart("pdt_pro")).toEqual([]);
  });
});
