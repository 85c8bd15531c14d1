import { describe, expect, it } from "vitest";
import {
  buildCronSchedule,
  canonicalTimeZone,
  nextRunAt,
  parseCronSchedule,
  type Schedule,
  scheduleFields,
} from "../../src/lib/lookout-schedule";

// An independent reference: it knows nothing of cron or croner. It reads UTC instants as wall-clock time
// with Intl and walks minute by minute around each matching local date, taking the first minute at which
// the wall clock reaches the wanted time (so a skipped time lands on the first instant after the gap and a
// repeated time counts once, at its first occurrence).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const zones = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "UTC",
  "America/Sao_Paulo",
];

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `ms` in `zone`, as minutes since 1970-01-01T00:00 of that clock. */
function wallMinutes(ms: number, zone: string): number {
  let format = wallFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    wallFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) parts[part.type] = Number(part.value);
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0) / MINUTE;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function matchesDate(schedule: Schedule, year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  switch (schedule.frequency) {
    case "once": {
      const [y, m, d] = schedule.date.split("-").map(Number);
      return y === year && m === month && d === day;
    }
    case "daily":
      return true;
    case "weekly":
      return weekday === schedule.dayOfWeek;
    case "monthly":
      return day === Math.min(schedule.dayOfMonth, daysIn(year, month));
    case "yearly":
      return month === schedule.month && day === Math.min(schedule.dayOfMonth, daysIn(year, month));
  }
}

/** The first run strictly after `after` by brute force, or null when none within `horizonDays`. */
function referenceNextRun(schedule: Schedule, zone: string, after: Date, horizonDays = 370 * 5): Date | null {
  const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
  const startWall = wallMinutes(after.getTime(), zone) * MINUTE;
  // Start a day early: the occurrence of the current local date may still be ahead.
  for (let offset = -1; offset <= horizonDays; offset++) {
    const localDay = new Date(startWall + offset * DAY);
    const [y, m, d] = [localDay.getUTCFullYear(), localDay.getUTCMonth() + 1, localDay.getUTCDate()];
    if (!matchesDate(schedule, y, m, d)) continue;
    const target = Date.UTC(y, m - 1, d, hour, minute) / MINUTE;
    // The zone's offset near that day puts the instant within a few hours of this guess (a change moves
    // the offset by at most an hour); walk a ±3 h window minute by minute.
    const guess = target - (wallMinutes(target * MINUTE, zone) - target);
    const from = (guess - 180) * MINUTE;
    let previous = wallMinutes(from - MINUTE, zone);
    for (let ms = from; ms <= (guess + 180) * MINUTE; ms += MINUTE) {
      const wall = wallMinutes(ms, zone);
      if (wall >= target && previous < target) {
        if (ms > after.getTime()) return new Date(ms);
        break;
      }
      previous = wall;
    }
  }
  return null;
}

/** A small deterministic PRNG, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Times that fall into or next to the daylight-saving changes of the zones above.
const edgeTimes = [
  "00:00",
  "00:30",
  "01:30",
  "01:45",
  "02:00",
  "02:15",
  "02:30",
  "02:45",
  "02:59",
  "03:00",
  "03:30",
  "03:45",
  "23:59",
];
// Instants near the 2027 changes (Northern spring and autumn, Southern autumn and spring).
const edgeAfters = [
  "2027-03-13T12:00:00Z",
  "2027-03-27T12:00:00Z",
  "2027-04-03T06:00:00Z",
  "2027-09-25T06:00:00Z",
  "2027-10-02T06:00:00Z",
  "2027-10-30T12:00:00Z",
  "2027-11-06T12:00:00Z",
  "2027-02-27T12:00:00Z",
  "2028-02-28T12:00:00Z",
  "2027-12-31T23:30:00Z",
];

function generateCase(rand: () => number): { schedule: Schedule; zone: string; after: Date } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)] as T;
  const zone = pick(zones);
  const time =
    rand() < 0.6
      ? pick(edgeTimes)
      : `${String(Math.floor(rand() * 24)).padStart(2, "0")}:${String(Math.floor(rand() * 60)).padStart(2, "0")}`;
  const after =
    rand() < 0.7
      ? new Date(Date.parse(pick(edgeAfters)) + Math.floor(rand() * 3 * DAY))
      : new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 3 * 365 * DAY));
  const frequency = pick(["once", "daily", "weekly", "monthly", "yearly"] as const);
  switch (frequency) {
    case "once": {
      const day = new Date(after.getTime() + Math.floor((rand() * 6 - 1) * DAY));
      return { zone, after, schedule: { frequency, time, date: day.toISOString().slice(0, 10) } };
    }
    case "daily":
      return { zone, after, schedule: { frequency, time } };
    case "weekly":
      return { zone, after, schedule: { frequency, time, dayOfWeek: Math.floor(rand() * 7) } };
    case "monthly":
      return {
        zone,
        after,
        schedule: {
          frequency,
          time,
          dayOfMonth: rand() < 0.4 ? 28 + Math.floor(rand() * 4) : 1 + Math.floor(rand() * 31),
        },
      };
    case "yearly": {
      const month = 1 + Math.floor(rand() * 12);
      const max = month === 2 ? 29 : daysIn(2027, month);
      const dayOfMonth = rand() < 0.3 ? max : 1 + Math.floor(rand() * max);
      return { zone, after, schedule: { frequency, time, month, dayOfMonth } };
    }
  }
}

describe("nextRunAt against a brute-force wall-clock reference", () => {
  it("agrees on 3,000 generated schedules across zones, frequencies and daylight-saving changes", () => {
    const rand = random(20270328);
    const mismatches: unknown[] = [];
    for (let index = 0; index < 3000; index++) {
      const { schedule, zone, after } = generateCase(rand);
      const expected = referenceNextRun(schedule, zone, after);
      const actual = nextRunAt(schedule, zone, after);
      if ((expected?.toISOString() ?? null) !== (actual?.toISOString() ?? null)) {
        mismatches.push({ schedule, zone, after: after.toISOString(), expected, actual });
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it.each([
    // Berlin spring forward: 02:30 does not exist, the run is at 03:00 CEST.
    ["Europe/Berlin", "02:30", "2027-03-27T12:00:00Z", "2027-03-28T01:00:00.000Z"],
    // Berlin fall back: 02:30 happens twice, the run is at the first (CEST).
    ["Europe/Berlin", "02:30", "2027-10-30T12:00:00Z", "2027-10-31T00:30:00.000Z"],
    // New York: 02:30 skipped → 03:00 EDT; 01:30 repeated → first, EDT.
    ["America/New_York", "02:30", "2027-03-13T12:00:00Z", "2027-03-14T07:00:00.000Z"],
    ["America/New_York", "01:30", "2027-11-06T12:00:00Z", "2027-11-07T05:30:00.000Z"],
    // Lord Howe moves by 30 minutes: 02:15 skipped → 02:30 +11; 01:45 repeated → first, +11.
    ["Australia/Lord_Howe", "02:15", "2027-10-02T06:00:00Z", "2027-10-02T15:30:00.000Z"],
    ["Australia/Lord_Howe", "01:45", "2027-04-03T06:00:00Z", "2027-04-03T14:45:00.000Z"],
    // Chatham (+12:45/+13:45): 02:59 skipped → 03:45 +13:45.
    ["Pacific/Chatham", "02:59", "2027-09-25T06:00:00Z", "2027-09-25T14:00:00.000Z"],
    // Kathmandu has no daylight saving: +05:45 all year.
    ["Asia/Kathmandu", "08:00", "2027-06-01T00:00:00Z", "2027-06-01T02:15:00.000Z"],
  ])("daily %s %s after %s runs at %s", (zone, time, after, expected) => {
    expect(nextRunAt({ frequency: "daily", time }, zone, new Date(after))?.toISOString()).toBe(expected);
  });

  it("runs monthly day 31 on the last day of shorter months, and yearly 29 February on the 28th in common years", () => {
    const runs: string[] = [];
    let after = new Date("2027-01-01T00:00:00Z");
    for (let index = 0; index < 4; index++) {
      const next = nextRunAt({ frequency: "monthly", time: "09:00", dayOfMonth: 31 }, "UTC", after);
      if (!next) throw new Error("no next run");
      runs.push(next.toISOString().slice(0, 10));
      after = next;
    }
    expect(runs).toEqual(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
    const leap = nextRunAt(
      { frequency: "yearly", time: "09:00", month: 2, dayOfMonth: 29 },
      "UTC",
      new Date("2027-01-01Z"),
    );
    expect(leap?.toISOString()).toBe("2027-02-28T09:00:00.000Z");
    const inLeapYear = nextRunAt(
      { frequency: "yearly", time: "09:00", month: 2, dayOfMonth: 29 },
      "UTC",
      new Date("2028-01-01Z"),
    );
    expect(inLeapYear?.toISOString()).toBe("2028-02-29T09:00:00.000Z");
  });

  it("has no next run for a once date in the past", () => {
    expect(nextRunAt({ frequency: "once", time: "09:00", date: "2020-01-01" }, "UTC", new Date())).toBeNull();
  });
});

describe("cron_schedule", () => {
  it.each<[Schedule, string]>([
    [{ frequency: "daily", time: "08:05" }, "5 8 * * *"],
    [{ frequency: "weekly", time: "23:59", dayOfWeek: 0 }, "59 23 * * 0"],
    [{ frequency: "monthly", time: "00:00", dayOfMonth: 31 }, "0 0 31 * *"],
    [{ frequency: "yearly", time: "12:30", month: 2, dayOfMonth: 29 }, "30 12 29 2 *"],
    [{ frequency: "once", time: "12:30", date: "2030-01-01" }, ""],
  ])("%o is stored as %s and read back", (schedule, cron) => {
    expect(buildCronSchedule(schedule)).toBe(cron);
    if (schedule.frequency !== "once") expect(parseCronSchedule(schedule.frequency, cron)).toEqual(schedule);
  });

  it("reads a once lookout's date and time back from next_run_at in its zone", () => {
    const next = nextRunAt({ frequency: "once", time: "07:45", date: "2030-07-01" }, "Pacific/Chatham", new Date());
    expect(
      scheduleFields({ frequency: "once", cronSchedule: "", timezone: "Pacific/Chatham", nextRunAt: next }),
    ).toEqual({
      time: "07:45",
      date: "2030-07-01",
      dayOfWeek: null,
      dayOfMonth: null,
      month: null,
    });
  });

  it("accepts IANA zone names only", () => {
    expect(canonicalTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(canonicalTimeZone("+01:00")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
  });
});
