import type { LookoutRunStatus, LookoutStatus } from "../../lib/lookouts";

const badge = "inline-flex shrink-0 items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium";

const LOOKOUT_STATUS: Record<LookoutStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-brand-100 text-brand-900 dark:bg-brand-900 dark:text-brand-100" },
  paused: { label: "Paused", className: "bg-muted text-muted-foreground" },
  running: { label: "Running", className: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100" },
  archived: { label: "Archived", className: "bg-muted text-muted-foreground" },
};

export function LookoutStatusBadge({ status }: { status: LookoutStatus }) {
  const { label, className } = LOOKOUT_STATUS[status] ?? LOOKOUT_STATUS.paused;
  return (
    <span className={`${badge} ${className}`}>
      {status === "running" && (
        <span aria-hidden="true" className="size-1.5 rounded-full bg-current motion-safe:animate-pulse" />
      )}
      <span className="sr-only">Status: </span>
      {label}
    </span>
  );
}

const RUN_STATUS: Record<LookoutRunStatus, { label: string; className: string }> = {
  success: { label: "Succeeded", className: "bg-brand-100 text-brand-900 dark:bg-brand-900 dark:text-brand-100" },
  error: { label: "Failed", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100" },
  timeout: { label: "Timed out", className: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100" },
};

export function RunStatusBadge({ status }: { status: LookoutRunStatus }) {
  const { label, className } = RUN_STATUS[status] ?? RUN_STATUS.error;
  return <span className={`${badge} ${className}`}>{label}</span>;
}
