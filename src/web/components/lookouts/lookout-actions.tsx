import { type ReactNode, useState } from "react";
import { browserTimeZone } from "../../lib/format";
import {
  deleteLookout,
  isPlanRequired,
  type Lookout,
  lookoutErrorMessage,
  pauseLookout,
  resumeLookout,
  runLookout,
  setLookoutEmails,
} from "../../lib/lookouts";
import { formatWhen } from "../../lib/schedule";
import { ErrorAlert } from "../alert";
import { ConfirmDialog } from "./confirm-dialog";
import { learnLimits } from "./use-lookouts";

type Action = "pause" | "resume" | "run" | "delete" | "emails";

export interface LookoutActionsProps {
  lookout: Lookout;
  onChange: (lookout: Lookout) => void;
  onDeleted: () => void;
  onPlanRequired: (error: unknown) => void;
  /** Buttons of the page placed first in the same row (Edit on the lookout's own page). */
  children?: ReactNode;
}

/** Pause or Resume, Run now and Delete (after a confirmation), each saying how it went next to the buttons. */
export function LookoutActions({ lookout, onChange, onDeleted, onPlanRequired, children }: LookoutActionsProps) {
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const running = lookout.status === "running";
  const archived = lookout.status === "archived";

  const emailsOn = lookout.emailsEnabled !== false;

  async function perform(action: Exclude<Action, "delete">) {
    setBusy(action);
    setError(null);
    setDone("");
    try {
      if (action === "pause") {
        onChange(await pauseLookout(lookout.id));
        setDone("Paused. It will not run until you resume it.");
      } else if (action === "resume") {
        const resumed = await resumeLookout(lookout.id);
        onChange(resumed);
        setDone(
          resumed.nextRunAt ? `Resumed. Next run ${formatWhen(resumed.nextRunAt, browserTimeZone())}.` : "Resumed.",
        );
      } else if (action === "emails") {
        onChange(await setLookoutEmails(lookout.id, !emailsOn));
        setDone(
          emailsOn
            ? "Emails off: runs still leave their report as a chat."
            : "Emails on: you are mailed when a run ends.",
        );
      } else {
        const queued = await runLookout(lookout.id);
        onChange(queued.lookout);
        setDone("Run started. The report will arrive as a new chat, linked in the run history.");
      }
    } catch (caught) {
      learnLimits(caught);
      // The page explains Pro in one place; the same alert here as well would say it twice.
      if (isPlanRequired(caught)) onPlanRequired(caught);
      else setError(lookoutErrorMessage(caught, lookout.frequency));
    } finally {
      setBusy(null);
    }
  }

  async function confirmDelete() {
    setBusy("delete");
    setDeleteError(null);
    try {
      await deleteLookout(lookout.id);
      setConfirming(false);
      onDeleted();
    } catch (caught) {
      setDeleteError(lookoutErrorMessage(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {children}
        {!archived &&
          (lookout.status === "paused" ? (
            <button
              type="button"
              className="btn"
              onClick={() => perform("resume")}
              disabled={busy !== null}
              aria-busy={busy === "resume"}
            >
              Resume
            </button>
          ) : (
            <button
              type="button"
              className="btn"
              onClick={() => perform("pause")}
              disabled={busy !== null || running}
              aria-busy={busy === "pause"}
              title={running ? "A run is under way; pause it when it has finished" : undefined}
            >
              Pause
            </button>
          ))}
        <button
          type="button"
          className="btn"
          onClick={() => perform("run")}
          disabled={busy !== null || running || archived}
          aria-busy={busy === "run"}
          title={running ? "A run is already under way" : undefined}
        >
          Run now
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => perform("emails")}
          disabled={busy !== null}
          aria-busy={busy === "emails"}
        >
          {emailsOn ? "Turn emails off" : "Turn emails on"}
        </button>
        <button
          type="button"
          className="btn text-red-700 dark:text-red-300"
          onClick={() => {
            setDeleteError(null);
            setConfirming(true);
          }}
          disabled={busy !== null}
        >
          Delete
        </button>
      </div>
      <p role="status" className="text-sm text-muted-foreground">
        {done}
      </p>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
      <ConfirmDialog
        open={confirming}
        title="Delete this lookout?"
        confirmLabel="Delete lookout"
        busy={busy === "delete"}
        error={deleteError}
        onConfirm={confirmDelete}
        onCancel={() => {
          if (busy !== "delete") setConfirming(false);
        }}
      >
        <p className="break-words">
          “{lookout.title}” will stop and be deleted, with its run history. The reports it made stay in your chats.
        </p>
      </ConfirmDialog>
    </div>
  );
}
