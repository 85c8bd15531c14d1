import { type Queryable, withTransaction } from "../../db/client";
import { findOwnedLookout, lockUserLookouts, updateOwnedLookout } from "../../db/queries/lookouts";
import type { Config } from "../../env";
import { AppError, notFound } from "../../lib/errors";
import { nextRunAt, recurringSchedule, scheduleFields } from "../../lib/lookout-schedule";
import { checkLookoutLimits } from "./check-lookout-limits";
import { type LookoutView, toLookoutView } from "./lookout-view";
import { requireLookoutPlan } from "./require-pro";
import { archived, busy } from "./update-lookout";

/**
 * Makes a paused lookout active again, next running at its next occurrence after now (missed ones are
 * not made up). A `once` lookout whose date has passed needs a new date first (409).
 */
export async function resumeLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; userId: string; now?: Date };
  input: { id: string };
}): Promise<LookoutView> {
  const now = ctx.now ?? new Date();
  if (!(await findOwnedLookout(ctx.db, { id: input.id, userId: ctx.userId }))) throw notFound("Lookout");
  await requireLookoutPlan({ ...ctx, now });
  const row = await withTransaction(ctx.db, async (tx) => {
    await lockUserLookouts(tx, ctx.userId);
    const current = await findOwnedLookout(tx, { id: input.id, userId: ctx.userId, forUpdate: true });
    if (!current) throw notFound("Lookout");
    if (current.status === "active") return current;
    if (current.status === "running") throw busy();
    if (current.status === "archived") throw archived();
    let next: Date | null;
    if (current.frequency === "once") {
      const fields = scheduleFields(current);
      next =
        fields.date && fields.time
          ? nextRunAt({ frequency: "once", date: fields.date, time: fields.time }, current.timezone, now)
          : null;
      if (!next) {
        throw new AppError("CONFLICT", "The date of this one-off lookout has passed; set a new date first", {
          details: { status: current.status },
        });
      }
    } else {
      const schedule = recurringSchedule(current);
      next = schedule ? nextRunAt(schedule, current.timezone, now) : null;
      if (!next) throw new AppError("CONFLICT", "The lookout's schedule is not valid; set it again first");
    }
    if (current.frequency === "daily") {
      await checkLookoutLimits(tx, {
        config: ctx.config,
        userId: ctx.userId,
        lookoutId: current.id,
        activeDaily: true,
      });
    }
    const updated = await updateOwnedLookout(tx, {
      id: current.id,
      userId: ctx.userId,
      changes: { status: "active", nextRunAt: next },
      statusIn: ["paused"],
    });
    if (!updated) throw busy();
    return updated;
  });
  return toLookoutView(row);
}
