import type { LookoutFrequency } from "../../db/schema";
import { maxDaysInMonth, type Schedule } from "../../lib/lookout-schedule";

/** The schedule fields of a request (already shape-checked); `null` means not given. */
export interface ScheduleFieldsInput {
  frequency: LookoutFrequency;
  time: string;
  dayOfWeek?: number | null;
  dayOfMonth?: number | null;
  month?: number | null;
  date?: string | null;
}

export interface ScheduleIssue {
  path: string[];
  code: string;
  message: string;
}

const needs: Record<LookoutFrequency, readonly ("dayOfWeek" | "dayOfMonth" | "month" | "date")[]> = {
  once: ["date"],
  daily: [],
  weekly: ["dayOfWeek"],
  monthly: ["dayOfMonth"],
  yearly: ["month", "dayOfMonth"],
};

/**
 * The schedule a frequency's fields describe, or the issues: each frequency needs its own fields and
 * refuses the others, so a client never believes a day was stored that a daily lookout ignores.
 */
export function toSchedule(input: ScheduleFieldsInput): { schedule: Schedule } | { issues: ScheduleIssue[] } {
  const issues: ScheduleIssue[] = [];
  const required = needs[input.frequency];
  for (const field of ["dayOfWeek", "dayOfMonth", "month", "date"] as const) {
    const given = input[field] !== undefined && input[field] !== null;
    if (required.includes(field) && !given) {
      issues.push({ path: [field], code: "required", message: `A ${input.frequency} lookout needs ${field}` });
    } else if (!required.includes(field) && given) {
      issues.push({ path: [field], code: "not_allowed", message: `A ${input.frequency} lookout has no ${field}` });
    }
  }
  if (issues.length > 0) return { issues };
  const { time } = input;
  switch (input.frequency) {
    case "once":
      return { schedule: { frequency: "once", time, date: input.date as string } };
    case "daily":
      return { schedule: { frequency: "daily", time } };
    case "weekly":
      return { schedule: { frequency: "weekly", time, dayOfWeek: input.dayOfWeek as number } };
    case "monthly":
      return { schedule: { frequency: "monthly", time, dayOfMonth: input.dayOfMonth as number } };
    case "yearly": {
      const month = input.month as number;
      const dayOfMonth = input.dayOfMonth as number;
      if (dayOfMonth > maxDaysInMonth(month)) {
        return {
          issues: [{ path: ["dayOfMonth"], code: "invalid_day", message: `Month ${month} has no day ${dayOfMonth}` }],
        };
      }
      return { schedule: { frequency: "yearly", time, month, dayOfMonth } };
    }
  }
}
