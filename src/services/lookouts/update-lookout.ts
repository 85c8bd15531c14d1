import { type Queryable, withTransaction } from "../../db/client";
import { setLookoutEmails } from "../../db/queries/lookout-notifications";
import {
  findOwnedLookout,
  type LookoutChanges,
  type LookoutRow,
  lockUserLookouts,
  updateOwnedLookout,
} from "../../db/queries/lookouts";
import type { LookoutFrequency } from "../../db/schema";
import type { Config } from "../../env";
import { AppError, notFound } from "../../lib/errors";
import { buildCronSchedule, nextRunAt, scheduleFields } from "../../lib/lookout-schedule";
import { checkLookoutLimits } from "./check-lookout-limits";
import { invalidSchedule } from "./create-lookout";
import { type LookoutView, toLookoutView } from "./lookout-view";
import { requireLookoutPlan } from "./require-pro";
import { type ScheduleFieldsInput, toSchedule } from "./schedule-input";

export interface LookoutPatch {
  title?: string;
  prompt?: string;
  frequency?: LookoutFrequency;
  time?: string;
  dayOfWeek?: number | null;
  dayOfMonth?: number | null;
  month?: number | null;
  date?: string | null;
  timezone?: string;
  emailsEnabled?: boolean;
}

const scheduleKeys = ["frequency", "time", "dayOfWeek", "dayOfMonth", "month", "date", "timezone"] as const;

export const busy = () =>
  new AppError("CONFLICT", "The lookout is running; try again when the run has finished", {
    details: { status: "running" },
  });
export const archived = () => new AppError("CONFLICT", "The lookout is archived", { details: { status: "archived" } });

/**
 * Changes title, prompt, schedule and/or whether run emails are sent. Schedule fields not given keep
 * their values while the frequency stays the same; a new frequency needs its own day fields. A new
 * schedule recomputes `next_run_at` from now. A running lookout cannot be changed (409) until its run
 * ends, except for its emails alone: they need no plan either, so a lapsed owner can still silence them.
 */
export async function updateLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; userId: string; now?: Date };
  input: { id: string; patch: LookoutPatch };
}): Promise<LookoutView> {
  const now = ctx.now ?? new Date();
  const { emailsEnabled, ...patch } = input.patch;
  if (Object.values(patch).every((value) => value === undefined)) {
    return toLookoutView(await updateEmailsOnly(ctx.db, { id: input.id, userId: ctx.userId, emailsEnabled }));
  }
  const current = await findOwnedLookout(ctx.db, { id: input.id, userId: ctx.userId });
  if (!current) throw notFound("Lookout");
  await requireLookoutPlan({ ...ctx, now });
  const row = await withTransaction(ctx.db, async (tx) => {
    await lockUserLookouts(tx, ctx.userId);
    const locked = await findOwnedLookout(tx, { id: input.id, userId: ctx.userId, forUpdate: true });
    if (!locked) throw notFound("Lookout");
    if (locked.status === "running") throw busy();
    if (locked.status === "archived") throw archived();
    const changes: LookoutChanges = {};
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.prompt !== undefined) changes.prompt = patch.prompt;
    if (scheduleKeys.some((key) => patch[key] !== undefined)) {
      const stored = scheduleFields(locked);
      const frequency = patch.frequency ?? locked.frequency;
      const carried: Partial<typeof stored> = frequency === locked.frequency ? stored : {};
      const merged: ScheduleFieldsInput = {
        frequency,
        time: patch.time ?? stored.time ?? "",
        dayOfWeek: patch.dayOfWeek !== undefined ? patch.dayOfWeek : (carried.dayOfWeek ?? null),
        dayOfMonth: patch.dayOfMonth !== undefined ? patch.dayOfMonth : (carried.dayOfMonth ?? null),
        month: patch.month !== undefined ? patch.month : (carried.month ?? null),
        date: patch.date !== undefined ? patch.date : (carried.date ?? null),
      };
      const parsed = toSchedule(merged);
      if ("issues" in parsed) throw invalidSchedule(parsed.issues);
      const timezone = patch.timezone ?? locked.timezone;
      const next = nextRunAt(parsed.schedule, timezone, now);
      if (!next) {
        throw invalidSchedule([
          { path: ["date"], code: "in_past", message: "The date and time must be in the future" },
        ]);
      }
      Object.assign(changes, {
        frequency,
        timezone,
        cronSchedule: buildCronSchedule(parsed.schedule),
        nextRunAt: next,
      });
      if (locked.status === "active" && frequency === "daily") {
        await checkLookoutLimits(tx, {
          config: ctx.config,
          userId: ctx.userId,
          lookoutId: locked.id,
          activeDaily: true,
        });
      }
    }
    // Written first, so the updated row read back below carries the new setting.
    if (emailsEnabled !== undefined) await setLookoutEmails(tx, { lookoutId: locked.id, enabled: emailsEnabled });
    const updated = await updateOwnedLookout(tx, {
      id: locked.id,
      userId: ctx.userId,
      changes,
      statusIn: ["active", "paused"],
    });
    if (!updated) throw busy();
    return updated;
  });
  return toLookoutView(row);
}

async function updateEmailsOnly(
  db: Queryable,
  params: { id: string; userId: string; emailsEnabled: boolean | undefined },
): Promise<LookoutRow> {
  return withTransaction(db, async (tx) => {
    // The lock keeps the lookout from being deleted between the check and the write.
    const locked = await findOwnedLookout(tx, { id: params.id, userId: params.userId, forUpdate: true });
    if (!locked) throw notFound("Lookout");
    if (params.emailsEnabled === undefined) return locked;
    await setLookoutEmails(tx, { lookoutId: locked.id, enabled: params.emailsEnabled });
    return { ...locked, emailsEnabled: params.emailsEnabled };
  });
}
