import { useEffect, useId, useRef } from "react";
import { Link } from "wouter";
import { browserTimeZone } from "../../lib/format";
import { lookoutErrorMessage } from "../../lib/lookouts";
import { formatDuration, formatWhen } from "../../lib/schedule";
import { ErrorAlert } from "../alert";
import { RunStatusBadge } from "./status-badge";
import { useLookoutRuns } from "./use-lookouts";

const count = (value: number, one: string, many: string) => `${value.toLocaleString()} ${value === 1 ? one : many}`;

/** Every run, newest first (the server keeps the newest 100), each linking to its report chat. */
export function RunHistory({ lookoutId, running }: { lookoutId: string; running: boolean }) {
  const headingId = useId();
  const runs = useLookoutRuns(lookoutId, running);
  const { mutate } = runs;
  const wasRunning = useRef(running);

  // The run that just ended is in the history only once the lookout has left "running".
  useEffect(() => {
    if (wasRunning.current && !running) void mutate();
    wasRunning.current = running;
  }, [running, mutate]);

  const timeZone = browserTimeZone();
  const items = runs.data?.items ?? [];

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h2 id={headingId} className="text-lg font-semibold">
        Run history
      </h2>
      {running && (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          A run is under way; it appears here when it ends.
        </p>
      )}
      {runs.error ? (
        <div className="space-y-2">
          <ErrorAlert error={lookoutErrorMessage(runs.error)} />
          <button type="button" className="btn" onClick={() => void mutate()}>
            Try again
          </button>
        </div>
      ) : runs.isLoading ? (
        <p className="text-sm text-muted-foreground">Loading runs…</p>
      ) : items.length === 0 ? (
        <p className="text-sm text-muted-foreground">No runs yet. Run now to get the first report.</p>
      ) : (
        <ol className="space-y-2">
          {items.map((run) => (
            <li key={`${run.runAt}-${run.chatId ?? run.status}`} className="card space-y-1 p-3 text-sm">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <RunStatusBadge status={run.status} />
                <time dateTime={run.runAt} className="font-medium">
                  {formatWhen(run.runAt, timeZone)}
                </time>
                <span className="text-muted-foreground">took {formatDuration(run.duration)}</span>
                {run.chatId && (
                  <Link
                    href={`/chat/${encodeURIComponent(run.chatId)}`}
                    className="text-brand-700 underline sm:ml-auto dark:text-brand-100"
                  >
                    Open report
                  </Link>
                )}
              </div>
              {run.error && <p className="break-words text-red-800 dark:text-red-300">{run.error}</p>}
              {(run.searchesPerformed > 0 || run.tokensUsed > 0) && (
                <p className="text-xs text-muted-foreground">
                  {count(run.searchesPerformed, "search", "searches")}, {count(run.tokensUsed, "token", "tokens")}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
