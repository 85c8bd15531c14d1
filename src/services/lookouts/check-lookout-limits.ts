import type { Queryable } from "../../db/client";
import { countUserLookouts } from "../../db/queries/lookouts";
import type { LookoutFrequency } from "../../db/schema";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";

/**
 * Refuses a change that would take the user over a lookout limit. Call it inside the transaction, after
 * `lockUserLookouts`, so concurrent requests are counted one after the other. Every lookout counts
 * towards LOOKOUTS_MAX_PER_USER whatever its status (delete one to free a slot); daily lookouts that are
 * active or running count towards LOOKOUTS_MAX_ACTIVE_DAILY.
 */
export async function checkLookoutLimits(
  db: Queryable,
  params: {
    config: Config;
    userId: string;
    /** The lookout being changed, left out of the counts; absent when creating. */
    lookoutId?: string;
    /** Whether the result is an active daily lookout. */
    activeDaily: boolean;
  },
): Promise<void> {
  const counts = await countUserLookouts(db, { userId: params.userId, exceptId: params.lookoutId });
  const maxTotal = params.config.LOOKOUTS_MAX_PER_USER;
  if (!params.lookoutId && counts.total >= maxTotal) {
    throw new AppError("LIMIT_REACHED", `At most ${maxTotal} lookouts per account`, {
      details: { limit: "lookouts", max: maxTotal, count: counts.total },
    });
  }
  const maxDaily = params.config.LOOKOUTS_MAX_ACTIVE_DAILY;
  if (params.activeDaily && counts.activeDaily >= maxDaily) {
    throw new AppError("LIMIT_REACHED", `At most ${maxDaily} active daily lookouts`, {
      details: { limit: "activeDaily", max: maxDaily, count: counts.activeDaily },
    });
  }
}

export const isDaily = (frequency: LookoutFrequency) => frequency === "daily";
