import type { PreviousReport } from "../../ai/research";
import type { Queryable } from "../../db/client";
import { findPreviousReport } from "../../db/queries/lookout-reports";
import type { Lookout } from "../../db/schema";
import { excerptOf, textOfParts } from "./report-text";

/** How much of the previous report a run is given: enough to compare, bounded in tokens. */
export const PREVIOUS_REPORT_CHARS = 4_000;

/** The day of `at` in the lookout's time zone, e.g. "3 March 2031". */
export function reportDate(at: Date, timeZone: string): string {
  const options = { day: "numeric", month: "long", year: "numeric" } as const;
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(at);
  }
}

/**
 * What a run reports changes against: the newest successful report of a recurring lookout, trimmed.
 * None for a `once` lookout, and none before the first success (that run reports as it always did).
 */
export async function previousReportFor(
  db: Queryable,
  lookout: Pick<Lookout, "id" | "userId" | "frequency" | "timezone">,
): Promise<PreviousReport | undefined> {
  if (lookout.frequency === "once") return undefined;
  const found = await findPreviousReport(db, { lookoutId: lookout.id, userId: lookout.userId });
  if (!found) return undefined;
  const text = excerptOf(textOfParts(found.parts), PREVIOUS_REPORT_CHARS);
  return text ? { date: reportDate(found.runAt, lookout.timezone), text } : undefined;
}
