import type { Lookout } from "../../lib/lookouts";
import { useLookoutLimits } from "./use-lookouts";

/** The limits in words, with the user's own counts once the whole list is known. */
export function LimitsHelp({ lookouts, complete }: { lookouts: readonly Lookout[]; complete: boolean }) {
  const limits = useLookoutLimits();
  const activeDaily = lookouts.filter(
    (lookout) => lookout.frequency === "daily" && (lookout.status === "active" || lookout.status === "running"),
  ).length;
  return (
    <p className="text-sm text-muted-foreground">
      You can keep up to {limits.lookouts} lookouts (paused ones count too), and up to {limits.activeDaily} daily
      lookouts can be active at a time.
      {complete && lookouts.length > 0 && (
        <>
          {" "}
          You have {lookouts.length} of {limits.lookouts}, {activeDaily} of {limits.activeDaily} daily ones active.
        </>
      )}
    </p>
  );
}
