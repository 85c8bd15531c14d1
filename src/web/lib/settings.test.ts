import { describe, expect, it } from "vitest";
import {
  belongsToAccount,
  billingActions,
  checkoutOutcome,
  exportFileName,
  formatMoney,
  humanizeStatus,
  intervalLabel,
  providerName,
  upgradeLabel,
  usageFraction,
  withoutCheckoutParams,
} from "./settings";
import type { Me } from "./types";

const free: Me["plan"] = { tier: "free", source: null, until: null };
const proPolar: Me["plan"] = { tier: "pro", source: "polar", until: "2026-12-08T00:00:00.000Z" };
const proDodo: Me["plan"] = { tier: "pro", source: "dodo", until: "2026-12-08T00:00:00.000Z" };

describe("billingActions", () => {
  it("offers every configured provider to a free user, in the server's order", () => {
    expect(billingActions(free, ["dodo", "polar"])).toEqual({
      upgrade: ["dodo", "polar"],
      manage: null,
      notConfigured: false,
    });
  });

  it("offers the portal of the provider a Pro plan comes from, and no upgrade", () => {
    expect(billingActions(proPolar, ["polar", "dodo"])).toEqual({ upgrade: [], manage: "polar", notConfigured: false });
    expect(billingActions(proDodo, ["polar", "dodo"])).toEqual({ upgrade: [], manage: "dodo", notConfigured: false });
  });

  it("offers nothing for a Pro plan from a provider that is not configured, or from none", () => {
    expect(billingActions(proDodo, ["polar"])).toEqual({ upgrade: [], manage: null, notConfigured: false });
    expect(billingActions({ tier: "pro", source: null, until: null }, ["polar"])).toEqual({
      upgrade: [],
      manage: null,
      notConfigured: false,
    });
  });

  it("hides both when no provider is configured", () => {
    expect(billingActions(free, [])).toEqual({ upgrade: [], manage: null, notConfigured: true });
    expect(billingActions(proPolar, [])).toEqual({ upgrade: [], manage: null, notConfigured: true });
  });
});

describe("upgradeLabel", () => {
  it("is plain Upgrade with one provider, and names the provider when there is a choice", () => {
    expect(upgradeLabel("polar", 1)).toBe("Upgrade");
    expect(upgradeLabel("polar", 2)).toBe("Upgrade with Polar");
    expect(upgradeLabel("dodo", 2)).toBe("Upgrade with Dodo Payments");
  });

  it("always starts with Upgrade, the name the page is found by", () => {
    for (const provider of ["polar", "dodo"] as const)
      for (const count of [1, 2]) expect(upgradeLabel(provider, count)).toMatch(/^Upgrade/);
  });

  it("names the providers", () => {
    expect(providerName("polar")).toBe("Polar");
    expect(providerName("dodo")).toBe("Dodo Payments");
  });
});

describe("exportFileName", () => {
  it("is dated in the traveller's time zone", () => {
    const instant = new Date("2026-12-08T23:30:00Z");
    expect(exportFileName(instant, "UTC")).toBe("mylo-export-2026-12-08.json");
    expect(exportFileName(instant, "Asia/Tokyo")).toBe("mylo-export-2026-12-09.json");
    expect(exportFileName(instant, "America/Los_Angeles")).toBe("mylo-export-2026-12-08.json");
  });

  it("pads months and days", () => {
    expect(exportFileName(new Date("2027-01-05T12:00:00Z"), "UTC")).toBe("mylo-export-2027-01-05.json");
  });
});

describe("formatMoney", () => {
  it("reads amounts in the currency's smallest unit", () => {
    expect(formatMoney(900, "usd", "en-US")).toBe("$9.00");
    expect(formatMoney(1250, "EUR", "en-GB")).toBe("€12.50");
  });

  it("knows currencies without minor units", () => {
    expect(formatMoney(900, "JPY", "en-US")).toBe("¥900");
  });

  it("keeps a code Intl does not know", () => {
    expect(formatMoney(900, "NOT-A-CODE", "en-US")).toBe("9.00 NOT-A-CODE");
  });
});

describe("humanizeStatus and intervalLabel", () => {
  it("turns provider words into a phrase", () => {
    expect(humanizeStatus("dispute_opened")).toBe("Dispute opened");
    expect(humanizeStatus("succeeded")).toBe("Succeeded");
    expect(humanizeStatus("requires-customer-action")).toBe("Requires customer action");
    expect(humanizeStatus(null)).toBe("Unknown");
    expect(humanizeStatus("")).toBe("Unknown");
  });

  it("says per month", () => {
    expect(intervalLabel("month")).toBe("per month");
    expect(intervalLabel("YEAR")).toBe("per year");
    expect(intervalLabel("fortnight")).toBe("per fortnight");
  });
});

describe("checkoutOutcome", () => {
  it("is nothing without the parameter", () => {
    expect(checkoutOutcome("")).toBeNull();
    expect(checkoutOutcome("?tab=plan")).toBeNull();
  });

  it("never claims success: a return is only a payment being confirmed", () => {
    expect(checkoutOutcome("?checkout=success")).toBe("confirming");
    expect(checkoutOutcome("checkout=polar&checkout_id=abc")).toBe("confirming");
    expect(checkoutOutcome("?checkout=dodo&payment_id=pay_1&status=succeeded")).toBe("confirming");
  });

  it("believes a provider that says the payment did not happen", () => {
    expect(checkoutOutcome("?checkout=dodo&payment_id=pay_1&status=failed")).toBe("not-completed");
    expect(checkoutOutcome("?checkout=dodo&status=cancelled")).toBe("not-completed");
    expect(checkoutOutcome("?checkout=cancel")).toBe("not-completed");
  });

  it("drops the checkout parameters and keeps the rest", () => {
    expect(withoutCheckoutParams("?checkout=dodo&payment_id=pay_1&status=succeeded")).toBe("");
    expect(withoutCheckoutParams("?checkout=polar&tab=plan")).toBe("?tab=plan");
  });
});

describe("usageFraction", () => {
  it("measures against the limit, within 0 and 1", () => {
    expect(usageFraction(5, 20)).toBe(0.25);
    expect(usageFraction(25, 20)).toBe(1);
    expect(usageFraction(0, 0)).toBe(1);
  });

  it("is null when there is no limit", () => {
    expect(usageFraction(123, null)).toBeNull();
  });
});

describe("belongsToAccount", () => {
  it("clears the account's entries and keeps the public configuration", () => {
    expect(belongsToAccount("me")).toBe(true);
    expect(belongsToAccount("billing")).toBe(true);
    expect(belongsToAccount('$inf$@"chats",null,')).toBe(true);
    expect(belongsToAccount("config")).toBe(false);
  });
});
