import type { Frequency, Lookout, LookoutInput, LookoutPatch, LookoutSchedule } from "./types";

export const FREQUENCIES: readonly { value: Frequency; label: string }[] = [
  { value: "once", label: "Once" },
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
  { value: "monthly", label: "Monthly" },
  { value: "yearly", label: "Yearly" },
];

/** Index = the API's `dayOfWeek` (0 = Sunday), as cron counts. */
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The API's caps on title and prompt (lookouts.routes.ts). */
export const TITLE_MAX_LENGTH = 200;
export const PROMPT_MAX_LENGTH = 4000;

/** PRODUCT.md's defaults; the server's own numbers arrive with a LIMIT_REACHED error and replace these. */
export const DEFAULT_LIMITS = { lookouts: 10, activeDaily: 5 };

/** The form's day fields. Yearly takes its month and day from "Date": one date picker, not two selects. */
export type DayField = "dayOfWeek" | "dayOfMonth" | "date";

const DAY_FIELDS: Record<Frequency, readonly DayField[]> = {
  once: ["date"],
  daily: [],
  weekly: ["dayOfWeek"],
  monthly: ["dayOfMonth"],
  yearly: ["date"],
};

/** Which day fields the form shows for a frequency. */
export function fieldsFor(frequency: Frequency): readonly DayField[] {
  return DAY_FIELDS[frequency];
}

/** The form as the inputs hold it: strings throughout, every field kept while the frequency changes. */
export interface LookoutFormValues {
  title: string;
  prompt: string;
  frequency: Frequency;
  time: string;
  timezone: string;
  dayOfWeek: string;
  dayOfMonth: string;
  date: string;
}

export type FormField = keyof LookoutFormValues;

export interface FormIssue {
  field: FormField;
  message: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (value: number) => String(value).padStart(2, "0");

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function dateIn(timeZone: string, instant: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

function safeDateIn(timeZone: string, instant: Date): string {
  return dateIn(isTimeZone(timeZone) ? timeZone : "UTC", instant);
}

/** A new lookout: daily at 08:00 in the traveller's zone; a one-off defaults to tomorrow. */
export function emptyFormValues(timeZone: string, now = new Date()): LookoutFormValues {
  return {
    title: "",
    prompt: "",
    frequency: "daily",
    time: "08:00",
    timezone: timeZone,
    dayOfWeek: "1",
    dayOfMonth: "1",
    date: addDays(safeDateIn(timeZone, now), 1),
  };
}

/**
 * The next date a yearly month and day fall on, from today in the lookout's zone: the date picker needs a
 * year, and a past one would read as if the lookout had ended. 29 February finds the next leap year.
 */
export function nextYearlyDate(month: number, day: number, timeZone: string, now = new Date()): string {
  const today = safeDateIn(timeZone, now);
  let year = Number(today.slice(0, 4));
  for (let tries = 0; tries < 9; tries++, year++) {
    const candidate = `${year}-${pad(month)}-${pad(day)}`;
    if (isCalendarDate(candidate) && candidate >= today) return candidate;
  }
  return `${Number(today.slice(0, 4))}-${pad(month)}-${pad(Math.min(day, 28))}`;
}

/** The edit form of a stored lookout; fields its frequency does not use keep the new-lookout defaults. */
export function formValuesFrom(lookout: Lookout, now = new Date()): LookoutFormValues {
  const defaults = emptyFormValues(lookout.timezone, now);
  const yearly =
    lookout.frequency === "yearly" && lookout.month !== null && lookout.dayOfMonth !== null
      ? nextYearlyDate(lookout.month, lookout.dayOfMonth, lookout.timezone, now)
      : null;
  return {
    title: lookout.title,
    prompt: lookout.prompt,
    frequency: lookout.frequency,
    time: lookout.time ?? defaults.time,
    timezone: lookout.timezone,
    dayOfWeek: lookout.dayOfWeek !== null ? String(lookout.dayOfWeek) : defaults.dayOfWeek,
    dayOfMonth:
      lookout.frequency === "monthly" && lookout.dayOfMonth !== null ? String(lookout.dayOfMonth) : defaults.dayOfMonth,
    date: yearly ?? lookout.date ?? defaults.date,
  };
}

function integerIn(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/**
 * The request body the API's `LookoutInput` takes: the frequency's own day fields, and null for the others
 * (the server refuses a day a frequency would ignore, and a null clears a stale one when editing).
 */
export function toLookoutInput(values: LookoutFormValues): { input: LookoutInput } | { issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  const title = values.title.trim();
  const prompt = values.prompt.trim();
  const timezone = values.timezone.trim();
  if (!title) issues.push({ field: "title", message: "Enter a title" });
  if (!prompt) issues.push({ field: "prompt", message: "Enter what Mylo should look out for" });
  const time = TIME.exec(values.time.trim());
  if (!time) issues.push({ field: "time", message: "Choose a time of day" });
  if (!isTimeZone(timezone)) issues.push({ field: "timezone", message: "Choose a time zone, e.g. Europe/Berlin" });

  const schedule: LookoutSchedule = {
    frequency: values.frequency,
    time: time ? `${time[1]}:${time[2]}` : "",
    timezone,
    dayOfWeek: null,
    dayOfMonth: null,
    month: null,
    date: null,
  };
  switch (values.frequency) {
    case "weekly":
      schedule.dayOfWeek = integerIn(values.dayOfWeek, 0, 6);
      if (schedule.dayOfWeek === null) issues.push({ field: "dayOfWeek", message: "Choose a day of the week" });
      break;
    case "monthly":
      schedule.dayOfMonth = integerIn(values.dayOfMonth, 1, 31);
      if (schedule.dayOfMonth === null) issues.push({ field: "dayOfMonth", message: "Choose a day of the month" });
      break;
    case "once":
    case "yearly": {
      const date = values.date.trim();
      if (!isCalendarDate(date)) {
        issues.push({ field: "date", message: "Choose a date" });
      } else if (values.frequency === "once") {
        schedule.date = date;
      } else {
        schedule.month = Number(date.slice(5, 7));
        schedule.dayOfMonth = Number(date.slice(8, 10));
      }
      break;
    }
    case "daily":
      break;
  }
  if (issues.length > 0) return { issues };
  return { input: { title, prompt, ...schedule } };
}

const SCHEDULE_KEYS = ["frequency", "time", "timezone", "dayOfWeek", "dayOfMonth", "month", "date"] as const;

/**
 * Only what changed: a new schedule recomputes the next run on the server, so an edit of the title alone
 * must not send the schedule (a one-off whose date has passed could not even be saved). When any schedule
 * field changed, the whole schedule goes, so the server never mixes new fields with stale ones.
 * `patch` is null when nothing changed.
 */
export function toLookoutPatch(
  lookout: Lookout,
  values: LookoutFormValues,
): { patch: LookoutPatch | null } | { issues: FormIssue[] } {
  const result = toLookoutInput(values);
  if ("issues" in result) return result;
  const { input } = result;
  const patch: LookoutPatch = {};
  if (input.title !== lookout.title) patch.title = input.title;
  if (input.prompt !== lookout.prompt) patch.prompt = input.prompt;
  if (SCHEDULE_KEYS.some((key) => input[key] !== lookout[key])) {
    for (const key of SCHEDULE_KEYS) Object.assign(patch, { [key]: input[key] });
  }
  return { patch: Object.keys(patch).length > 0 ? patch : null };
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st … */
export function ordinal(value: number): string {
  const tens = value % 100;
  if (tens >= 11 && tens <= 13) return `${value}th`;
  const suffix = ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[value % 10] ?? "th";
  return `${value}${suffix}`;
}

const monthName = (month: number) => MONTHS[month - 1] ?? `month ${month}`;

function formatDate(date: string): string {
  const match = DATE.exec(date);
  if (!match) return date;
  return `${Number(match[3])} ${monthName(Number(match[2]))} ${match[1]}`;
}

type ScheduleLike = Pick<Lookout, "frequency" | "time" | "dayOfWeek" | "dayOfMonth" | "month" | "date" | "timezone"> &
  Partial<Pick<Lookout, "cronSchedule">>;

/** The schedule in words: "Every Monday at 08:00 (Europe/Berlin)". */
export function describeSchedule(schedule: ScheduleLike): string {
  const zone = ` (${schedule.timezone})`;
  const fallback = () =>
    schedule.cronSchedule
      ? `Custom schedule ${schedule.cronSchedule}${zone}`
      : `${FREQUENCIES.find((f) => f.value === schedule.frequency)?.label ?? schedule.frequency}${zone}`;
  const { time } = schedule;
  if (!time) return fallback();
  const at = ` at ${time}${zone}`;
  switch (schedule.frequency) {
    case "once":
      return schedule.date ? `Once, on ${formatDate(schedule.date)}${at}` : fallback();
    case "daily":
      return `Every day${at}`;
    case "weekly": {
      const day = schedule.dayOfWeek === null ? undefined : WEEKDAYS[schedule.dayOfWeek];
      return day ? `Every ${day}${at}` : fallback();
    }
    case "monthly": {
      const day = schedule.dayOfMonth;
      if (day === null) return fallback();
      const shorter = day > 28 ? " (or the last day of a shorter month)" : "";
      return `Every month on the ${ordinal(day)}${shorter}${at}`;
    }
    case "yearly": {
      const { month, dayOfMonth: day } = schedule;
      if (month === null || day === null) return fallback();
      const leap = month === 2 && day === 29 ? " (28 February in other years)" : "";
      return `Every year on ${day} ${monthName(month)}${leap}${at}`;
    }
  }
}

/** The schedule the form describes so far, in words; null until its schedule fields are complete. */
export function previewSchedule(values: LookoutFormValues): string | null {
  const result = toLookoutInput({ ...values, title: "-", prompt: "-" });
  return "input" in result ? describeSchedule(result.input) : null;
}

/** One issue of a 400's `details`, as the server's validation writes it. */
export interface ValidationIssue {
  path?: unknown;
  code?: unknown;
  message?: unknown;
}

/** The form field an API field is entered in (a yearly lookout's month and day come from "Date"). */
function formFieldOf(apiField: string, frequency?: Frequency): FormField | null {
  switch (apiField) {
    case "title":
    case "prompt":
    case "frequency":
    case "time":
    case "timezone":
    case "dayOfWeek":
    case "date":
      return apiField;
    case "month":
      return "date";
    case "dayOfMonth":
      return frequency === "yearly" ? "date" : "dayOfMonth";
    default:
      return null;
  }
}

export const FIELD_LABELS: Record<FormField, string> = {
  title: "Title",
  prompt: "Prompt",
  frequency: "Frequency",
  time: "Time",
  timezone: "Time zone",
  dayOfWeek: "Day of week",
  dayOfMonth: "Day of month",
  date: "Date",
};

const firstField = (issue: ValidationIssue) =>
  Array.isArray(issue.path) && typeof issue.path[0] === "string" ? issue.path[0] : null;

/** The form fields a validation error is about, so they can be marked invalid. */
export function issueFields(issues: readonly ValidationIssue[], frequency?: Frequency): FormField[] {
  const fields = new Set<FormField>();
  for (const issue of issues) {
    const path = firstField(issue);
    const field = path === null ? null : formFieldOf(path, frequency);
    if (field) fields.add(field);
  }
  return [...fields];
}

/** "Date: The date and time must be in the future." — each issue under the label the traveller sees. */
export function describeIssues(issues: readonly ValidationIssue[], frequency?: Frequency): string {
  const lines = new Set<string>();
  for (const issue of issues) {
    if (typeof issue.message !== "string" || !issue.message) continue;
    const path = firstField(issue);
    const field = path === null ? null : formFieldOf(path, frequency);
    lines.add(field ? `${FIELD_LABELS[field]}: ${issue.message.replace(/\.$/, "")}` : issue.message.replace(/\.$/, ""));
  }
  return lines.size > 0 ? `${[...lines].join("; ")}.` : "";
}

/** The form's own issues in one sentence, like the server's. */
export function describeFormIssues(issues: readonly FormIssue[]): string {
  return `${issues.map((issue) => `${FIELD_LABELS[issue.field]}: ${issue.message}`).join("; ")}.`;
}

/** "850 ms", "4.2 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    const rest = total % 60;
    return `${Math.floor(total / 60)} min${rest ? ` ${rest} s` : ""}`;
  }
  const minutes = Math.floor((total % 3600) / 60);
  return `${Math.floor(total / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
}

/** An instant in the traveller's zone, with the year only when it is not this year's. */
export function formatWhen(iso: string, timeZone: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = isTimeZone(timeZone) ? timeZone : "UTC";
  const sameYear = dateIn(zone, date).slice(0, 4) === dateIn(zone, now).slice(0, 4);
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    timeZone: zone,
    timeZoneName: "short",
  }).format(date);
}

/** Every IANA zone the browser knows, plus the ones in use (older engines list none, or leave out UTC). */
export function timeZoneOptions(...inUse: string[]): string[] {
  let known: string[] = [];
  try {
    known = Intl.supportedValuesOf("timeZone");
  } catch {
    known = [];
  }
  return [...new Set([...known, "UTC", ...inUse.filter(Boolean)])].sort();
}
