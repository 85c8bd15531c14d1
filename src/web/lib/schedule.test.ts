import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";
import { type Lookout, limitDetails, lookoutErrorMessage } from "./lookouts";
import {
  describeIssues,
  describeSchedule,
  emptyFormValues,
  FREQUENCIES,
  fieldsFor,
  formatDuration,
  formatWhen,
  formValuesFrom,
  issueFields,
  type LookoutFormValues,
  nextYearlyDate,
  ordinal,
  previewSchedule,
  timeZoneOptions,
  toLookoutInput,
  toLookoutPatch,
} from "./schedule";

const lookout = (overrides: Partial<Lookout> = {}): Lookout => ({
  id: "l1",
  title: "Flights to Lisbon",
  prompt: "Direct flights Berlin to Lisbon under 100 EUR",
  frequency: "weekly",
  time: "08:00",
  dayOfWeek: 1,
  dayOfMonth: null,
  month: null,
  date: null,
  timezone: "Europe/Berlin",
  cronSchedule: "0 8 * * 1",
  nextRunAt: "2026-03-02T07:00:00.000Z",
  status: "active",
  lastRunAt: null,
  lastRunChatId: null,
  createdAt: "2026-02-01T00:00:00.000Z",
  updatedAt: "2026-02-01T00:00:00.000Z",
  ...overrides,
});

const values = (overrides: Partial<LookoutFormValues> = {}): LookoutFormValues => ({
  title: "Flights to Lisbon",
  prompt: "Direct flights Berlin to Lisbon under 100 EUR",
  frequency: "daily",
  time: "08:00",
  timezone: "Europe/Berlin",
  dayOfWeek: "1",
  dayOfMonth: "1",
  date: "2026-05-01",
  ...overrides,
});

describe("describeSchedule", () => {
  it("says each frequency in words, with the time zone", () => {
    expect(describeSchedule(lookout())).toBe("Every Monday at 08:00 (Europe/Berlin)");
    expect(describeSchedule(lookout({ frequency: "daily", dayOfWeek: null }))).toBe(
      "Every day at 08:00 (Europe/Berlin)",
    );
    expect(describeSchedule(lookout({ frequency: "weekly", dayOfWeek: 0, time: "21:30" }))).toBe(
      "Every Sunday at 21:30 (Europe/Berlin)",
    );
    expect(describeSchedule(lookout({ frequency: "monthly", dayOfWeek: null, dayOfMonth: 15 }))).toBe(
      "Every month on the 15th at 08:00 (Europe/Berlin)",
    );
    expect(
      describeSchedule(lookout({ frequency: "yearly", dayOfWeek: null, dayOfMonth: 3, month: 3, timezone: "UTC" })),
    ).toBe("Every year on 3 March at 08:00 (UTC)");
    expect(describeSchedule(lookout({ frequency: "once", dayOfWeek: null, date: "2027-03-09" }))).toBe(
      "Once, on 9 March 2027 at 08:00 (Europe/Berlin)",
    );
  });

  it("says what happens to days a month does not have", () => {
    expect(describeSchedule(lookout({ frequency: "monthly", dayOfWeek: null, dayOfMonth: 31 }))).toBe(
      "Every month on the 31st (or the last day of a shorter month) at 08:00 (Europe/Berlin)",
    );
    expect(describeSchedule(lookout({ frequency: "yearly", dayOfWeek: null, dayOfMonth: 29, month: 2 }))).toBe(
      "Every year on 29 February (28 February in other years) at 08:00 (Europe/Berlin)",
    );
  });

  it("falls back to the cron schedule when the fields cannot describe it", () => {
    expect(describeSchedule(lookout({ time: null, cronSchedule: "*/5 * * * *" }))).toBe(
      "Custom schedule */5 * * * * (Europe/Berlin)",
    );
    expect(describeSchedule(lookout({ frequency: "once", time: null, cronSchedule: "" }))).toBe("Once (Europe/Berlin)");
  });
});

describe("ordinal", () => {
  it("uses English suffixes, teens included", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "31st",
    ]);
  });
});

describe("fieldsFor", () => {
  it("asks for the day fields each frequency needs, and no others", () => {
    expect(FREQUENCIES.map((f) => [f.label, fieldsFor(f.value)])).toEqual([
      ["Once", ["date"]],
      ["Daily", []],
      ["Weekly", ["dayOfWeek"]],
      ["Monthly", ["dayOfMonth"]],
      ["Yearly", ["date"]],
    ]);
  });
});

describe("toLookoutInput", () => {
  const schedule = { dayOfWeek: null, dayOfMonth: null, month: null, date: null };

  it("sends the frequency's own day fields and null for the others", () => {
    expect(toLookoutInput(values({ frequency: "daily" }))).toEqual({
      input: {
        title: "Flights to Lisbon",
        prompt: "Direct flights Berlin to Lisbon under 100 EUR",
        frequency: "daily",
        time: "08:00",
        timezone: "Europe/Berlin",
        ...schedule,
      },
    });
    expect(toLookoutInput(values({ frequency: "weekly", dayOfWeek: "0" }))).toMatchObject({
      input: { ...schedule, frequency: "weekly", dayOfWeek: 0 },
    });
    expect(toLookoutInput(values({ frequency: "monthly", dayOfMonth: "31" }))).toMatchObject({
      input: { ...schedule, frequency: "monthly", dayOfMonth: 31 },
    });
    expect(toLookoutInput(values({ frequency: "once", date: "2027-03-09" }))).toMatchObject({
      input: { ...schedule, frequency: "once", date: "2027-03-09" },
    });
  });

  it("takes a yearly lookout's month and day from the date", () => {
    expect(toLookoutInput(values({ frequency: "yearly", date: "2028-02-29" }))).toMatchObject({
      input: { ...schedule, frequency: "yearly", month: 2, dayOfMonth: 29 },
    });
  });

  it("trims text and drops seconds from the time", () => {
    const result = toLookoutInput(values({ title: "  Lisbon  ", prompt: " flights\n", time: "07:05:00" }));
    expect(result).toMatchObject({ input: { title: "Lisbon", prompt: "flights", time: "07:05" } });
  });

  it("names the fields that are missing or wrong", () => {
    expect(toLookoutInput(values({ title: " ", prompt: "", time: "25:00", timezone: "Mars/Olympus" }))).toEqual({
      issues: [
        { field: "title", message: "Enter a title" },
        { field: "prompt", message: "Enter what Mylo should look out for" },
        { field: "time", message: "Choose a time of day" },
        { field: "timezone", message: "Choose a time zone, e.g. Europe/Berlin" },
      ],
    });
    expect(toLookoutInput(values({ frequency: "once", date: "2026-02-30" }))).toEqual({
      issues: [{ field: "date", message: "Choose a date" }],
    });
    expect(toLookoutInput(values({ frequency: "weekly", dayOfWeek: "7" }))).toEqual({
      issues: [{ field: "dayOfWeek", message: "Choose a day of the week" }],
    });
  });

  it("ignores the day fields a frequency does not use", () => {
    expect(toLookoutInput(values({ frequency: "daily", date: "", dayOfWeek: "x" }))).toHaveProperty("input");
  });
});

describe("toLookoutPatch", () => {
  it("sends nothing when nothing changed", () => {
    expect(toLookoutPatch(lookout(), formValuesFrom(lookout()))).toEqual({ patch: null });
  });

  it("sends a new title alone, so the schedule is not recomputed", () => {
    expect(toLookoutPatch(lookout(), { ...formValuesFrom(lookout()), title: "Lisbon" })).toEqual({
      patch: { title: "Lisbon" },
    });
  });

  it("sends the whole schedule when any part of it changed", () => {
    expect(toLookoutPatch(lookout(), { ...formValuesFrom(lookout()), frequency: "monthly", dayOfMonth: "5" })).toEqual({
      patch: {
        frequency: "monthly",
        time: "08:00",
        timezone: "Europe/Berlin",
        dayOfWeek: null,
        dayOfMonth: 5,
        month: null,
        date: null,
      },
    });
    expect(toLookoutPatch(lookout(), { ...formValuesFrom(lookout()), time: "09:15" })).toMatchObject({
      patch: { frequency: "weekly", time: "09:15", dayOfWeek: 1 },
    });
  });

  it("keeps a yearly lookout unchanged whatever year the date picker shows", () => {
    const yearly = lookout({ frequency: "yearly", dayOfWeek: null, month: 7, dayOfMonth: 14 });
    expect(toLookoutPatch(yearly, { ...formValuesFrom(yearly), date: "2031-07-14" })).toEqual({ patch: null });
  });

  it("reports form issues instead of a patch", () => {
    expect(toLookoutPatch(lookout(), { ...formValuesFrom(lookout()), title: "" })).toEqual({
      issues: [{ field: "title", message: "Enter a title" }],
    });
  });
});

describe("form values", () => {
  const now = new Date("2026-12-31T23:30:00Z");

  it("start daily at 08:00 in the given zone, a one-off tomorrow there", () => {
    expect(emptyFormValues("Europe/Berlin", now)).toEqual({
      title: "",
      prompt: "",
      frequency: "daily",
      time: "08:00",
      timezone: "Europe/Berlin",
      dayOfWeek: "1",
      dayOfMonth: "1",
      date: "2027-01-02",
    });
    expect(emptyFormValues("America/New_York", now).date).toBe("2027-01-01");
  });

  it("fill the edit form from a lookout", () => {
    expect(formValuesFrom(lookout({ frequency: "once", dayOfWeek: null, date: "2027-03-09" }), now)).toMatchObject({
      frequency: "once",
      date: "2027-03-09",
      dayOfWeek: "1",
    });
    expect(
      formValuesFrom(lookout({ frequency: "monthly", dayOfWeek: null, dayOfMonth: 20, time: "18:45" }), now),
    ).toMatchObject({ frequency: "monthly", dayOfMonth: "20", time: "18:45" });
  });

  it("show a yearly lookout's next date, in a leap year for 29 February", () => {
    expect(nextYearlyDate(3, 3, "UTC", new Date("2026-05-01T00:00:00Z"))).toBe("2027-03-03");
    expect(nextYearlyDate(7, 14, "UTC", new Date("2026-05-01T00:00:00Z"))).toBe("2026-07-14");
    expect(nextYearlyDate(2, 29, "UTC", new Date("2026-05-01T00:00:00Z"))).toBe("2028-02-29");
  });
});

describe("validation issues", () => {
  const issues = [
    { path: ["date"], code: "in_past", message: "The date and time must be in the future" },
    { path: ["timezone"], code: "custom", message: "Not a known IANA time zone, e.g. Europe/Berlin" },
    { path: [], code: "custom", message: "Change at least one field" },
  ];

  it("are told under the form's own labels", () => {
    expect(describeIssues(issues)).toBe(
      "Date: The date and time must be in the future; Time zone: Not a known IANA time zone, e.g. Europe/Berlin; Change at least one field.",
    );
    expect(describeIssues([{ path: ["month"], message: "Month 2 has no day 30" }], "yearly")).toBe(
      "Date: Month 2 has no day 30.",
    );
    expect(describeIssues([{ path: ["dayOfMonth"], message: "Too big" }], "monthly")).toBe("Day of month: Too big.");
    expect(describeIssues([{ nothing: true } as never])).toBe("");
  });

  it("mark the fields they are about", () => {
    expect(issueFields(issues)).toEqual(["date", "timezone"]);
    expect(issueFields([{ path: ["dayOfMonth"] }, { path: ["month"] }], "yearly")).toEqual(["date"]);
  });
});

describe("lookoutErrorMessage", () => {
  it("adds the issues to a validation error", () => {
    const error = new ApiError(400, "VALIDATION_ERROR", "The request is not valid", [
      { path: ["date"], code: "in_past", message: "The date and time must be in the future" },
    ]);
    expect(lookoutErrorMessage(error, "once")).toBe(
      "The request is not valid: Date: The date and time must be in the future.",
    );
  });

  it("keeps the limit's numbers and says the way out", () => {
    const total = new ApiError(403, "LIMIT_REACHED", "At most 10 lookouts per account", {
      limit: "lookouts",
      max: 10,
      count: 10,
    });
    expect(limitDetails(total)).toEqual({ limit: "lookouts", max: 10, count: 10 });
    expect(lookoutErrorMessage(total)).toBe(
      "At most 10 lookouts per account. Delete a lookout to make room for a new one.",
    );
    const daily = new ApiError(403, "LIMIT_REACHED", "At most 5 active daily lookouts", {
      limit: "activeDaily",
      max: 5,
      count: 5,
    });
    expect(lookoutErrorMessage(daily)).toMatch(/^At most 5 active daily lookouts\. Pause one of your daily/);
  });

  it("leaves other errors to describeError", () => {
    expect(lookoutErrorMessage(new ApiError(404, "NOT_FOUND", "Lookout not found"))).toBe("Lookout not found.");
    expect(lookoutErrorMessage(new ApiError(403, "PLAN_REQUIRED", "Lookouts need a Pro plan"))).toMatch(
      /^Lookouts need a Pro plan\. Pro adds/,
    );
  });
});

describe("formatDuration", () => {
  it("reads at a glance", () => {
    expect([850, 4210, 12_400, 125_000, 120_000, 3_780_000, -1].map(formatDuration)).toEqual([
      "850 ms",
      "4.2 s",
      "12 s",
      "2 min 5 s",
      "2 min",
      "1 h 3 min",
      "—",
    ]);
  });
});

describe("formatWhen", () => {
  const now = new Date("2026-06-01T12:00:00Z");

  it("shows the instant in the given zone, with the year only when it differs", () => {
    const thisYear = formatWhen("2026-03-02T07:00:00.000Z", "Europe/Berlin", now, "en-GB");
    expect(thisYear).toContain("08:00");
    expect(thisYear).not.toContain("2026");
    expect(formatWhen("2025-03-02T07:00:00.000Z", "Europe/Berlin", now, "en-GB")).toContain("2025");
    expect(formatWhen("not a date", "UTC", now)).toBe("not a date");
  });
});

describe("timeZoneOptions", () => {
  it("lists the known zones, UTC and the ones in use, once each", () => {
    const zones = timeZoneOptions("Europe/Berlin", "UTC");
    expect(zones).toContain("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect(zones.filter((zone) => zone === "UTC")).toHaveLength(1);
  });
});

describe("previewSchedule", () => {
  it("describes the schedule before title and prompt are written", () => {
    expect(previewSchedule(values({ title: "", prompt: "", frequency: "weekly", dayOfWeek: "5" }))).toBe(
      "Every Friday at 08:00 (Europe/Berlin)",
    );
    expect(previewSchedule(values({ frequency: "once", date: "" }))).toBeNull();
  });
});
