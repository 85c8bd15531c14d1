import { describe, expect, it } from "vitest";
import { durationLabel, localTimeLabel, priceLabel, statusLabel, toolSummary, toolTitle } from "./messages";

describe("tool summaries", () => {
  it("names the new tools readably", () => {
    expect(
      ["flightSearch", "flightStatus", "travelSafety", "destinationGuide", "publicHolidays"].map(toolTitle),
    ).toEqual(["Flights", "Flight status", "Travel safety", "Destination guide", "Public holidays"]);
  });

  it("formats local times, durations, prices and statuses", () => {
    expect(localTimeLabel("2026-05-14T07:20:00")).toBe("14 May, 07:20");
    expect(localTimeLabel("2026-04-03 09:10+02:00")).toBe("3 Apr, 09:10");
    expect(localTimeLabel(null)).toBe("");
    expect(durationLabel(170)).toBe("2 h 50 min");
    expect(durationLabel(120)).toBe("2 h");
    expect(durationLabel(45)).toBe("45 min");
    expect(durationLabel(undefined)).toBe("");
    expect(priceLabel(142.9, "EUR")).toBe("€142.90");
    expect(priceLabel(142.9, "not a currency")).toBe("142.9 not a currency");
    expect(statusLabel("EnRoute")).toBe("En route");
    expect(statusLabel("Arrived")).toBe("Arrived");
  });

  it("summarises results, and nothing for failures or other tools", () => {
    expect(
      toolSummary("flightSearch", {
        origin: { code: "LON" },
        destination: { code: "LIS" },
        offers: [{ totalAmount: 99, currency: "USD" }],
      }),
    ).toBe("LON → LIS: 1 offer, from $99.00");
    expect(toolSummary("flightSearch", { origin: { code: "LON" }, destination: { code: "LIS" }, offers: [] })).toBe(
      "LON → LIS: no offers",
    );
    expect(toolSummary("flightStatus", { flights: [{ number: "BA 117", status: "GateClosed" }] })).toBe(
      "BA 117: Gate closed",
    );
    expect(toolSummary("destinationGuide", { title: "Kyoto", description: null })).toBe("Kyoto");
    expect(toolSummary("flightSearch", { error: "down" })).toBeUndefined();
    expect(toolSummary("weather", { location: {} })).toBeUndefined();
  });
});
