import { describeError } from "../lib/errors";

/** An error shown to the traveller: always in an element with role "alert". */
export function ErrorAlert({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="flex-1">{typeof error === "string" ? error : describeError(error)}</p>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="btn-ghost px-1 py-0 text-xs" aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
