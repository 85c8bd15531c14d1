import { type ReactNode, useEffect, useId, useRef } from "react";
import { ErrorAlert } from "../alert";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation on the platform's own <dialog>: it traps focus, closes on Escape and gives focus
 * back to the button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      aria-describedby={bodyId}
      onClose={onCancel}
      onCancel={(event) => {
        // Escape while the request is in flight would hide its outcome.
        if (busy) event.preventDefault();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-border bg-background p-5 text-foreground shadow-xl backdrop:bg-black/50"
    >
      {open && (
        <div className="space-y-4">
          <h2 id={headingId} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={bodyId} className="text-sm">
            {children}
          </div>
          {error && <ErrorAlert error={error} />}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className="btn" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
            <button type="button" className="btn-danger" onClick={onConfirm} disabled={busy} aria-busy={busy}>
              {confirmLabel}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
