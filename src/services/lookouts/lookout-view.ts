import type { LookoutRow } from "../../db/queries/lookouts";
import type { LookoutFrequency, LookoutRun, LookoutStatus } from "../../db/schema";
import { scheduleFields } from "../../lib/lookout-schedule";

export interface LookoutView {
  id: string;
  title: string;
  prompt: string;
  frequency: LookoutFrequency;
  time: string | null;
  dayOfWeek: number | null;
  dayOfMonth: number | null;
  month: number | null;
  date: string | null;
  timezone: string;
  cronSchedule: string;
  nextRunAt: string | null;
  status: LookoutStatus;
  lastRunAt: string | null;
  lastRunChatId: string | null;
  emailsEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * The API's lookout. `nextRunAt` is when it will run next: null while paused or archived, and for a
 * `once` lookout that is already running (its stored `next_run_at` keeps the date it was set for).
 */
export function toLookoutView(row: LookoutRow): LookoutView {
  const scheduled =
    row.status === "active" || (row.status === "running" && row.frequency !== "once") ? row.nextRunAt : null;
  return {
    id: row.id,
    title: row.title,
    prompt: row.prompt,
    frequency: row.frequency,
    ...scheduleFields(row),
    timezone: row.timezone,
    cronSchedule: row.cronSchedule,
    nextRunAt: scheduled?.toISOString() ?? null,
    status: row.status,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastRunChatId: row.lastRunChatId,
    emailsEnabled: row.emailsEnabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Run records newest first, whatever order the stored array has. */
export function toRunViews(history: unknown): LookoutRun[] {
  if (!Array.isArray(history)) return [];
  return (history as LookoutRun[])
    .map((run) => ({
      runAt: String(run.runAt),
      chatId: run.chatId ?? null,
      status: run.status,
      ...(run.error === undefined || run.error === null ? {} : { error: String(run.error) }),
      duration: Number(run.duration ?? 0),
      tokensUsed: Number(run.tokensUsed ?? 0),
      searchesPerformed: Number(run.searchesPerformed ?? 0),
    }))
    .reverse();
}
