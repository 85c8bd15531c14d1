import { describe, expect, it } from "vitest";
import { formatInstant, formatRelative, formatUsage } from "./format";

describe("formatting", () => {
  it("shows an instant in the given time zone with the zone's name", () => {
    const text = formatInstant("2026-12-08T00:00:00.000Z", "Europe/Berlin", "en-GB");
    expect(text).toContain("01:00");
    expect(text).toMatch(/CET|GMT\+1/);
  });

  it("says how far away an instant is", () => {
    const now = new Date("2026-12-07T21:00:00.000Z");
    expect(formatRelative("2026-12-08T00:00:00.000Z", now, "en")).toBe("in 3 hours");
    expect(formatRelative("2026-12-10T00:00:00.000Z", now, "en")).toBe("in 2 days");
  });

  it("writes usage with and without a limit", () => {
    expect(formatUsage(3, 20)).toBe("3 of 20 used");
    expect(formatUsage(3, null)).toBe("3 used (no limit)");
  });
});
