import { useRef, useState } from "react";
import { Link } from "wouter";
import { ErrorAlert } from "../components/alert";
import { LimitsHelp } from "../components/lookouts/limits-help";
import { LookoutActions } from "../components/lookouts/lookout-actions";
import { LookoutFacts } from "../components/lookouts/lookout-facts";
import { LookoutForm } from "../components/lookouts/lookout-form";
import { ProExplanation } from "../components/lookouts/pro-explanation";
import { LookoutStatusBadge } from "../components/lookouts/status-badge";
import { useLookoutList } from "../components/lookouts/use-lookouts";
import { useMe } from "../hooks/use-me";
import { browserTimeZone } from "../lib/format";
import { createLookout, type Lookout, lookoutErrorMessage } from "../lib/lookouts";
import { describeSchedule, emptyFormValues, formatWhen, type LookoutFormValues, toLookoutInput } from "../lib/schedule";

function LookoutItem({
  lookout,
  onChange,
  onDeleted,
  onPlanRequired,
}: {
  lookout: Lookout;
  onChange: (lookout: Lookout) => void;
  onDeleted: () => void;
  onPlanRequired: (error: unknown) => void;
}) {
  return (
    <li>
      <article aria-label={lookout.title} className="card space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h3 className="min-w-0 text-base font-semibold break-words">
            <Link href={`/lookouts/${encodeURIComponent(lookout.id)}`} className="hover:underline">
              {lookout.title}
            </Link>
          </h3>
          <LookoutStatusBadge status={lookout.status} />
        </div>
        <p className="text-sm">{describeSchedule(lookout)}</p>
        <LookoutFacts lookout={lookout} />
        <LookoutActions lookout={lookout} onChange={onChange} onDeleted={onDeleted} onPlanRequired={onPlanRequired}>
          <Link href={`/lookouts/${encodeURIComponent(lookout.id)}`} className="btn">
            Details and runs
          </Link>
        </LookoutActions>
      </article>
    </li>
  );
}

/** The user's lookouts: list, create, pause, resume, run now and delete. */
export default function LookoutsPage() {
  const me = useMe();
  const list = useLookoutList();
  const [creating, setCreating] = useState(false);
  const [planError, setPlanError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const [formKey, setFormKey] = useState(0);
  const newButton = useRef<HTMLButtonElement>(null);

  const free = me.data?.plan.tier === "free";
  const showPro = free || planError !== null;
  // Until the plan is known the page cannot tell whether to offer the form or explain Pro.
  const planKnown = me.data !== undefined || me.error !== undefined;

  function openForm() {
    setStatus("");
    if (creating) {
      document.getElementById("new-lookout")?.querySelector<HTMLElement>("input")?.focus();
      return;
    }
    setFormKey((key) => key + 1);
    setCreating(true);
  }

  function closeForm() {
    setCreating(false);
    requestAnimationFrame(() => newButton.current?.focus());
  }

  async function create(values: LookoutFormValues) {
    const result = toLookoutInput(values);
    if ("issues" in result) return result.issues;
    const created = await createLookout(result.input);
    void list.add(created);
    setStatus(
      created.nextRunAt
        ? `Lookout “${created.title}” saved. Next run ${formatWhen(created.nextRunAt, browserTimeZone())}.`
        : `Lookout “${created.title}” saved.`,
    );
    closeForm();
    return undefined;
  }

  const complete = !list.isLoading && !list.error && !list.hasMore;

  return (
    <div className="mx-auto w-full max-w-3xl space-y-6 p-4 sm:p-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 className="text-2xl font-semibold">Lookouts</h1>
          <p className="text-sm text-muted-foreground">
            Questions Mylo researches for you on a schedule. Each report arrives as a new chat.
          </p>
        </div>
        {planKnown && !showPro && (
          <button
            ref={newButton}
            type="button"
            className="btn-primary"
            onClick={openForm}
            aria-expanded={creating}
            aria-controls={creating ? "new-lookout" : undefined}
          >
            New lookout
          </button>
        )}
      </header>

      {me.error && <ErrorAlert error={me.error} />}
      {planError !== null && <ErrorAlert error={planError} />}
      {showPro && <ProExplanation />}
      {!showPro && <LimitsHelp lookouts={list.lookouts} complete={complete} />}

      {creating && !showPro && (
        <LookoutForm
          key={formKey}
          id="new-lookout"
          heading="New lookout"
          initial={emptyFormValues(browserTimeZone())}
          onSubmit={create}
          onCancel={closeForm}
          onPlanRequired={setPlanError}
        />
      )}

      <p role="status" className="text-sm">
        {status}
      </p>

      {/* A free user with nothing to manage needs only the explanation above. */}
      {!(showPro && !list.isLoading && !list.error && list.lookouts.length === 0) && (
        <section aria-labelledby="lookouts-list-heading" className="space-y-3">
          <h2 id="lookouts-list-heading" tabIndex={-1} className="text-lg font-semibold">
            Your lookouts
          </h2>
          {list.error ? (
            <div className="space-y-2">
              <ErrorAlert error={lookoutErrorMessage(list.error)} />
              <button type="button" className="btn" onClick={() => void list.mutate()}>
                Try again
              </button>
            </div>
          ) : list.isLoading ? (
            <p className="text-sm text-muted-foreground" aria-live="polite">
              Loading lookouts…
            </p>
          ) : list.lookouts.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No lookouts yet.
              {!showPro && planKnown && " Choose “New lookout” to ask Mylo to keep an eye on something for you."}
            </p>
          ) : (
            <ul className="space-y-3">
              {list.lookouts.map((lookout) => (
                <LookoutItem
                  key={lookout.id}
                  lookout={lookout}
                  onChange={(updated) => void list.replace(updated)}
                  onDeleted={() => {
                    void list.remove(lookout.id);
                    setStatus(`Lookout “${lookout.title}” deleted.`);
                    requestAnimationFrame(() => document.getElementById("lookouts-list-heading")?.focus());
                  }}
                  onPlanRequired={setPlanError}
                />
              ))}
            </ul>
          )}
          {list.hasMore && (
            <button type="button" className="btn" onClick={() => void list.loadMore()} disabled={list.isValidating}>
              Show more lookouts
            </button>
          )}
        </section>
      )}
    </div>
  );
}
