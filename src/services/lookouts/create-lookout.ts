import { type Queryable, withTransaction } from "../../db/client";
import { insertLookout, lockUserLookouts } from "../../db/queries/lookouts";
import type { LookoutFrequency } from "../../db/schema";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import { buildCronSchedule, nextRunAt } from "../../lib/lookout-schedule";
import { checkLookoutLimits, isDaily } from "./check-lookout-limits";
import { type LookoutView, toLookoutView } from "./lookout-view";
import { requireLookoutPlan } from "./require-pro";
import { type ScheduleFieldsInput, toSchedule } from "./schedule-input";

export interface CreateLookoutInput extends ScheduleFieldsInput {
  title: string;
  prompt: string;
  frequency: LookoutFrequency;
  /** A canonical IANA name (the route checks it). */
  timezone: string;
}

export function invalidSchedule(issues: { path: string[]; code: string; message: string }[]): AppError {
  return new AppError("VALIDATION_ERROR", "The request is not valid", { details: issues });
}

export async function createLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; userId: string; now?: Date };
  input: CreateLookoutInput;
}): Promise<LookoutView> {
  const now = ctx.now ?? new Date();
  const parsed = toSchedule(input);
  if ("issues" in parsed) throw invalidSchedule(parsed.issues);
  const next = nextRunAt(parsed.schedule, input.timezone, now);
  if (!next) {
    throw invalidSchedule([{ path: ["date"], code: "in_past", message: "The date and time must be in the future" }]);
  }
  await requireLookoutPlan({ ...ctx, now });
  const row = await withTransaction(ctx.db, async (tx) => {
    await lockUserLookouts(tx, ctx.userId);
    await checkLookoutLimits(tx, { config: ctx.config, userId: ctx.userId, activeDaily: isDaily(input.frequency) });
    return insertLookout(tx, {
      id: crypto.randomUUID(),
      userId: ctx.userId,
      title: input.title,
      prompt: input.prompt,
      frequency: input.frequency,
      cronSchedule: buildCronSchedule(parsed.schedule),
      timezone: input.timezone,
      nextRunAt: next,
    });
  });
  return toLookoutView(row);
}
