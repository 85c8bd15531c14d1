import { useId } from "react";
import { Link } from "wouter";
import { useLookoutLimits } from "./use-lookouts";

/** What a free user sees instead of the lookout form: what lookouts are, what Pro adds, where to upgrade. */
export function ProExplanation() {
  const headingId = useId();
  const limits = useLookoutLimits();
  return (
    <section
      aria-labelledby={headingId}
      className="card space-y-3 border-brand-500/40 bg-brand-50 dark:border-brand-700 dark:bg-brand-900/30"
    >
      <h2 id={headingId} className="text-lg font-semibold">
        Lookouts are a Pro feature
      </h2>
      <p className="text-sm">
        A lookout is a question Mylo keeps asking for you on a schedule, such as “every Monday at 08:00, check for new
        direct flights Berlin to Lisbon under 100 EUR”. Each report arrives as a new chat.
      </p>
      <div className="text-sm">
        <p className="font-medium">Mylo Pro adds:</p>
        <ul className="mt-1 list-disc space-y-1 pl-5">
          <li>
            Up to {limits.lookouts} lookouts (up to {limits.activeDaily} of them active daily), each researched in
            depth, as in research mode
          </li>
          <li>An email when a report is ready, opening with what changed since the last one</li>
          <li>The most capable models, and higher daily and monthly allowances</li>
        </ul>
      </div>
      <Link href="/settings" className="btn-primary">
        Upgrade to Pro in Settings
      </Link>
    </section>
  );
}
