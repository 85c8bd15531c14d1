import { useEffect, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { checkoutOutcome, withoutCheckoutParams } from "../../lib/settings";
import type { Tier } from "../../lib/types";
import { StatusNote } from "./ui";

/** How often and how many times to ask again while the provider's webhook is on its way. */
const POLL_MS = 3000;
const POLL_TIMES = 10;

/**
 * Back from a provider's checkout. The plan changes only when the provider's webhook reaches the
 * server, usually seconds later, so the plan is read again a few times until it shows Pro.
 */
export function CheckoutNotice({ tier, revalidate }: { tier: Tier | undefined; revalidate: () => unknown }) {
  const search = useSearch();
  const [, navigate] = useLocation();
  const outcome = checkoutOutcome(search);
  const [polls, setPolls] = useState(0);
  const waiting = outcome === "confirming" && tier !== "pro" && polls < POLL_TIMES;

  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(
      () => {
        void revalidate();
        setPolls((count) => count + 1);
      },
      polls === 0 ? 0 : POLL_MS,
    );
    return () => clearTimeout(timer);
  }, [waiting, polls, revalidate]);

  if (!outcome) return null;
  const dismiss = (
    <button
      type="button"
      className="btn-ghost px-1 py-0 text-xs"
      aria-label="Dismiss"
      onClick={() => navigate(`/settings${withoutCheckoutParams(search)}`, { replace: true })}
    >
      ✕
    </button>
  );
  const message =
    outcome === "not-completed"
      ? "The payment was not completed, so your plan is unchanged."
      : tier === "pro"
        ? "Thank you: your payment is confirmed and Mylo Pro is active."
        : waiting
          ? "Thank you: your payment is being confirmed. Your plan will update here in a moment."
          : "Your payment is still being confirmed. This can take a few minutes: reload this page to check again.";
  return <StatusNote action={dismiss}>{message}</StatusNote>;
}
