import { Link } from "wouter";
import { browserTimeZone } from "../../lib/format";
import type { Lookout } from "../../lib/lookouts";
import { formatWhen } from "../../lib/schedule";

function nextRunText(lookout: Lookout, timeZone: string): string {
  if (lookout.nextRunAt) return formatWhen(lookout.nextRunAt, timeZone);
  switch (lookout.status) {
    case "running":
      return "Running now";
    case "paused":
      return lookout.frequency === "once" && lookout.lastRunAt
        ? "None: it has run. Set a new date to run it again."
        : "None while paused";
    default:
      return "Not scheduled";
  }
}

/** Next and last run, in the traveller's own time zone (the schedule itself is in the lookout's). */
export function LookoutFacts({ lookout, showLastReport = true }: { lookout: Lookout; showLastReport?: boolean }) {
  const timeZone = browserTimeZone();
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
      <dt className="text-muted-foreground">Next run</dt>
      <dd>
        {lookout.nextRunAt ? (
          <time dateTime={lookout.nextRunAt}>{nextRunText(lookout, timeZone)}</time>
        ) : (
          nextRunText(lookout, timeZone)
        )}
      </dd>
      <dt className="text-muted-foreground">Last run</dt>
      <dd className="flex flex-wrap items-baseline gap-x-2">
        {lookout.lastRunAt ? (
          <time dateTime={lookout.lastRunAt}>{formatWhen(lookout.lastRunAt, timeZone)}</time>
        ) : (
          <span>Not yet</span>
        )}
        {showLastReport && lookout.lastRunChatId && (
          <Link
            href={`/chat/${encodeURIComponent(lookout.lastRunChatId)}`}
            className="text-brand-700 underline dark:text-brand-100"
          >
            Open report
          </Link>
        )}
      </dd>
    </dl>
  );
}
