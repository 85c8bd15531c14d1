import { Cron } from "croner";

/**
 * Lookout schedules: the `cron_schedule` stored for an input, the next run in the lookout's own time zone,
 * and the input read back from what is stored. Pure: no database, no configuration.
 *
 * Rules:
 * - Times are local wall-clock times in the lookout's IANA time zone; instants are UTC.
 * - A local time that does not exist (the clocks jump over it) runs at the first instant after the gap,
 *   e.g. 02:30 Europe/Berlin on 2027-03-28 runs at 03:00 CEST. A local time that happens twice (the
 *   clocks go back) runs once, at its first occurrence.
 * - Monthly on day 29, 30 or 31 runs on the last day of a month that has no such day (31 → 30 April,
 *   28 or 29 February). Yearly on 29 February runs on 28 February in common years.
 * - `cron_schedule` stores the input as written (`MM HH * * *`, `MM HH * * D`, `MM HH D * *`,
 *   `MM HH D M *`; empty for `once`). It is read back by this module, which applies the last-day rule
 *   itself, so a generic cron engine reading `30 8 31 * *` would skip short months where Mylo does not.
 */

export const scheduleFrequencies = ["once", "daily", "weekly", "monthly", "yearly"] as const;
export type ScheduleFrequency = (typeof scheduleFrequencies)[number];

export type Schedule =
  | { frequency: "once"; time: string; date: string }
  | { frequency: "daily"; time: string }
  | { frequency: "weekly"; time: string; dayOfWeek: number }
  | { frequency: "monthly"; time: string; dayOfMonth: number }
  | { frequency: "yearly"; time: string; month: number; dayOfMonth: number };

/** The schedule fields as the API shows them; those a frequency does not use are null. */
export interface ScheduleFields {
  time: string | null;
  dayOfWeek: number | null;
  dayOfMonth: number | null;
  month: number | null;
  date: string | null;
}

export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// The fewest and most days each month can have (index 0 = January).
const MIN_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The most days month `month` (1–12) can have: 29 for February. */
export function maxDaysInMonth(month: number): number {
  return MAX_DAYS[month - 1] ?? 0;
}

/** A real calendar date `YYYY-MM-DD` (no 31 April, 29 February only in leap years). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The canonical spelling of an IANA time zone name, or null when the runtime does not know it.
 * Offsets such as `+01:00` are refused: they have no daylight-saving rules and are not zone names.
 */
export function canonicalTimeZone(name: string): string | null {
  if (name.length > 64 || !IANA_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function splitTime(time: string): { hour: number; minute: number } {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`Not a 24-hour HH:MM time: ${time}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

const pad = (value: number) => String(value).padStart(2, "0");

/** The `cron_schedule` column for a schedule (empty for `once`). */
export function buildCronSchedule(schedule: Schedule): string {
  const { hour, minute } = splitTime(schedule.time);
  switch (schedule.frequency) {
    case "once":
      return "";
    case "daily":
      return `${minute} ${hour} * * *`;
    case "weekly":
      return `${minute} ${hour} * * ${schedule.dayOfWeek}`;
    case "monthly":
      return `${minute} ${hour} ${schedule.dayOfMonth} * *`;
    case "yearly":
      return `${minute} ${hour} ${schedule.dayOfMonth} ${schedule.month} *`;
  }
}

const CRON_PATTERN = /^(\d{1,2}) (\d{1,2}) (\*|\d{1,2}) (\*|\d{1,2}) (\*|\d)$/;

/** Reads a stored recurring schedule back; null when the frequency and the cron string disagree. */
export function parseCronSchedule(frequency: Exclude<ScheduleFrequency, "once">, cron: string): Schedule | null {
  const match = CRON_PATTERN.exec(cron.trim());
  if (!match) return null;
  const [, minute, hour, day, month, weekday] = match as unknown as [string, string, string, string, string, string];
  const time = `${pad(Number(hour))}:${pad(Number(minute))}`;
  if (!TIME_PATTERN.test(time)) return null;
  const all = (field: string) => field === "*";
  switch (frequency) {
    case "daily":
      return all(day) && all(month) && all(weekday) ? { frequency, time } : null;
    case "weekly":
      return all(day) && all(month) && !all(weekday) ? { frequency, time, dayOfWeek: Number(weekday) } : null;
    case "monthly":
      return !all(day) && all(month) && all(weekday) ? { frequency, time, dayOfMonth: Number(day) } : null;
    case "yearly":
      return !all(day) && !all(month) && all(weekday)
        ? { frequency, time, month: Number(month), dayOfMonth: Number(day) }
        : null;
  }
}

/**
 * The croner patterns whose earliest next run is the schedule's next run. Days 29–31 that a month may
 * lack become that month's last day (`L`), so such a schedule is the union of two patterns.
 */
function evaluationPatterns(schedule: Exclude<Schedule, { frequency: "once" }>): string[] {
  const { hour, minute } = splitTime(schedule.time);
  const at = `${minute} ${hour}`;
  switch (schedule.frequency) {
    case "daily":
      return [`${at} * * *`];
    case "weekly":
      return [`${at} * * ${schedule.dayOfWeek}`];
    case "monthly": {
      const day = schedule.dayOfMonth;
      if (day <= 28) return [`${at} ${day} * *`];
      const months = MIN_DAYS.map((_, index) => index + 1);
      const full = months.filter((month) => (MIN_DAYS[month - 1] ?? 0) >= day);
      const short = months.filter((month) => (MIN_DAYS[month - 1] ?? 0) < day);
      return [`${at} ${day} ${full.join(",")} *`, `${at} L ${short.join(",")} *`];
    }
    case "yearly": {
      const { month, dayOfMonth } = schedule;
      return dayOfMonth <= (MIN_DAYS[month - 1] ?? 0) ? [`${at} ${dayOfMonth} ${month} *`] : [`${at} L ${month} *`];
    }
  }
}

/**
 * The first run strictly after `after`, in UTC; null when there is none (a `once` date already past).
 * Croner walks the zone's wall clock and applies the gap and repeat rules described above.
 */
export function nextRunAt(schedule: Schedule, timezone: string, after: Date): Date | null {
  if (schedule.frequency === "once") {
    const match = DATE_PATTERN.exec(schedule.date);
    if (!match || !isCalendarDate(schedule.date)) return null;
    const { hour, minute } = splitTime(schedule.time);
    const pattern = `0 ${minute} ${hour} ${Number(match[3])} ${Number(match[2])} * ${Number(match[1])}`;
    return new Cron(pattern, { timezone, mode: "7-part" }).nextRun(after);
  }
  let earliest: Date | null = null;
  for (const pattern of evaluationPatterns(schedule)) {
    const next = new Cron(pattern, { timezone }).nextRun(after);
    if (next && (!earliest || next < earliest)) earliest = next;
  }
  return earliest;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of `instant` in `timezone`. */
export function localParts(
  instant: Date,
  timezone: string,
): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timezone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** The API's schedule fields from a stored row. A `once` lookout's date and time come from `next_run_at`. */
export function scheduleFields(row: {
  frequency: ScheduleFrequency;
  cronSchedule: string;
  timezone: string;
  nextRunAt: Date | null;
}): ScheduleFields {
  const fields: ScheduleFields = { time: null, dayOfWeek: null, dayOfMonth: null, month: null, date: null };
  if (row.frequency === "once") {
    if (!row.nextRunAt) return fields;
    const local = localParts(row.nextRunAt, row.timezone);
    fields.time = `${pad(local.hour)}:${pad(local.minute)}`;
    fields.date = `${local.year}-${pad(local.month)}-${pad(local.day)}`;
    return fields;
  }
  const schedule = parseCronSchedule(row.frequency, row.cronSchedule);
  if (!schedule) return fields;
  fields.time = schedule.time;
  if (schedule.frequency === "weekly") fields.dayOfWeek = schedule.dayOfWeek;
  if (schedule.frequency === "monthly") fields.dayOfMonth = schedule.dayOfMonth;
  if (schedule.frequency === "yearly") {
    fields.month = schedule.month;
    fields.dayOfMonth = schedule.dayOfMonth;
  }
  return fields;
}

/** The stored row's schedule, for computing its next run; null for `once` (it does not recur). */
export function recurringSchedule(row: { frequency: ScheduleFrequency; cronSchedule: string }): Schedule | null {
  if (row.frequency === "once") return null;
  return parseCronSchedule(row.frequency, row.cronSchedule);
}
