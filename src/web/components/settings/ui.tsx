import type { ReactNode } from "react";

/** One part of the settings page: a card under its own heading. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card min-w-0 space-y-3">
      <h2 className="text-base font-semibold">{title}</h2>
      {children}
    </section>
  );
}

/**
 * A confirmation that something worked, announced by screen readers without taking focus. An action
 * beside it (dismiss) stays outside the live region, so it is not read out with the message.
 */
export function StatusNote({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex items-start gap-3 rounded-lg border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-900 dark:border-brand-900 dark:bg-brand-900/40 dark:text-brand-50">
      <p role="status" className="min-w-0 flex-1">
        {children}
      </p>
      {action}
    </div>
  );
}
