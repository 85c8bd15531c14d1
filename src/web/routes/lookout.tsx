import { useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { ErrorAlert } from "../components/alert";
import { LookoutActions } from "../components/lookouts/lookout-actions";
import { LookoutFacts } from "../components/lookouts/lookout-facts";
import { LookoutForm } from "../components/lookouts/lookout-form";
import { ProExplanation } from "../components/lookouts/pro-explanation";
import { RunHistory } from "../components/lookouts/run-history";
import { LookoutStatusBadge } from "../components/lookouts/status-badge";
import { refreshLookoutList, storeLookout, useLookout } from "../components/lookouts/use-lookouts";
import { useMe } from "../hooks/use-me";
import { ApiError } from "../lib/api-error";
import { browserTimeZone } from "../lib/format";
import { type Lookout, lookoutErrorMessage, updateLookout } from "../lib/lookouts";
import { describeSchedule, formatWhen, formValuesFrom, type LookoutFormValues, toLookoutPatch } from "../lib/schedule";
import { NotFound } from "./not-found";

/** One lookout: its schedule and prompt, edit, pause, resume, run now, delete, and its run history. */
export default function LookoutPage({ id }: { id: string }) {
  const [, navigate] = useLocation();
  const me = useMe();
  const lookout = useLookout(id);
  const [editing, setEditing] = useState(false);
  const [planError, setPlanError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const editButton = useRef<HTMLButtonElement>(null);

  const free = me.data?.plan.tier === "free";
  const showPro = free || planError !== null;

  if (lookout.error instanceof ApiError && lookout.error.code === "NOT_FOUND") return <NotFound what="lookout" />;

  const back = (
    <Link href="/lookouts" className="btn-ghost -ml-2 self-start">
      <span aria-hidden="true">←</span> All lookouts
    </Link>
  );

  if (!lookout.data) {
    return (
      <div className="mx-auto flex w-full max-w-3xl flex-col gap-4 p-4 sm:p-6">
        {back}
        {lookout.error ? (
          <div className="space-y-2">
            <ErrorAlert error={lookoutErrorMessage(lookout.error)} />
            <button type="button" className="btn" onClick={() => void lookout.mutate()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading lookout…
          </p>
        )}
      </div>
    );
  }

  const current = lookout.data;

  function changed(updated: Lookout) {
    void storeLookout(updated);
  }

  function closeForm() {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  }

  async function save(values: LookoutFormValues) {
    const result = toLookoutPatch(current, values);
    if ("issues" in result) return result.issues;
    if (result.patch) {
      const updated = await updateLookout(current.id, result.patch);
      changed(updated);
      setStatus(updated.nextRunAt ? `Saved. Next run ${formatWhen(updated.nextRunAt, browserTimeZone())}.` : "Saved.");
    } else {
      setStatus("Nothing changed.");
    }
    closeForm();
    return undefined;
  }

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-4 sm:p-6">
      {back}

      <article aria-label={current.title} className="space-y-4">
        <header className="flex flex-wrap items-start justify-between gap-2">
          <h1 className="min-w-0 text-2xl font-semibold break-words">{current.title}</h1>
          <LookoutStatusBadge status={current.status} />
        </header>
        <p className="text-sm">{describeSchedule(current)}</p>
        <LookoutFacts lookout={current} showLastReport={false} />
        <div className="text-sm">
          <h2 className="mb-1 font-medium text-muted-foreground">What Mylo looks out for</h2>
          <p className="break-words whitespace-pre-wrap">{current.prompt}</p>
        </div>
        <LookoutActions
          lookout={current}
          onChange={changed}
          onDeleted={() => {
            void refreshLookoutList();
            navigate("/lookouts");
          }}
          onPlanRequired={setPlanError}
        >
          {!showPro && (
            <button
              ref={editButton}
              type="button"
              className="btn"
              onClick={() => {
                setStatus("");
                setEditing(true);
              }}
              disabled={editing || current.status === "running" || current.status === "archived"}
              aria-expanded={editing}
              aria-controls={editing ? "edit-lookout" : undefined}
              title={current.status === "running" ? "A run is under way; edit it when it has finished" : undefined}
            >
              Edit
            </button>
          )}
        </LookoutActions>
        <p role="status" className="text-sm">
          {status}
        </p>
      </article>

      {planError !== null && <ErrorAlert error={planError} />}
      {showPro && <ProExplanation />}

      {editing && !showPro && (
        <LookoutForm
          id="edit-lookout"
          heading="Edit lookout"
          initial={formValuesFrom(current)}
          onSubmit={save}
          onCancel={closeForm}
          onPlanRequired={setPlanError}
        />
      )}

      <RunHistory lookoutId={current.id} running={current.status === "running"} />
    </div>
  );
}
