import { useState } from "react";
import { api } from "../../lib/api";
import { ApiError } from "../../lib/api-error";
import { formatDay, formatInstant, formatUsage } from "../../lib/format";
import { billingActions, providerName, upgradeLabel, usageFraction } from "../../lib/settings";
import type { AppConfig, BillingProvider, Me, UsageCounter } from "../../lib/types";
import { ErrorAlert } from "../alert";
import { Section } from "./ui";

function UsageRow({ label, period, counter }: { label: string; period: string; counter: UsageCounter }) {
  const fraction = usageFraction(counter.used, counter.limit);
  const full = fraction !== null && fraction >= 1;
  return (
    <div className="space-y-1">
      <dt className="text-sm font-medium">
        {label} <span className="font-normal text-muted-foreground">{period}</span>
      </dt>
      <dd className="text-sm">
        {formatUsage(counter.used, counter.limit)}
        {counter.limit !== null && (
          <span className="text-muted-foreground"> · resets {formatInstant(counter.resetAt)}</span>
        )}
      </dd>
      {fraction !== null && (
        <dd aria-hidden="true" className="h-1.5 overflow-hidden rounded-full bg-muted">
          <div
            className={`h-full rounded-full ${full ? "bg-red-600 dark:bg-red-500" : "bg-brand-600"}`}
            style={{ width: `${Math.round(fraction * 100)}%` }}
          />
        </dd>
      )}
    </div>
  );
}

/**
 * The plan, what is left of its allowances, and the way to pay or to manage what is paid. Leaving for a
 * provider is a full navigation: its checkout and portal are pages of their own.
 */
export function PlanSection({
  me,
  config,
  configError,
}: {
  me: Me;
  config: AppConfig | undefined;
  configError: unknown;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { plan, usage } = me;
  const pro = plan.tier === "pro";
  const actions = config ? billingActions(plan, config.billingProviders) : null;

  const leaveFor = async (key: string, url: () => Promise<string>, notFound?: string) => {
    setBusy(key);
    setError(null);
    try {
      window.location.assign(await url());
    } catch (caught) {
      // The app's wording for 404 is about chats; here it means there is nothing with that provider.
      setError(notFound && caught instanceof ApiError && caught.status === 404 ? notFound : caught);
      setBusy(null);
    }
  };
  const upgrade = (provider: BillingProvider) =>
    leaveFor(`upgrade-${provider}`, async () => (await api.checkout(provider)).url);
  const manage = (provider: BillingProvider) =>
    leaveFor(
      "manage",
      async () => (await api.portal(provider)).url,
      `${providerName(provider)} has no subscription of yours to manage yet. If you have just paid, try again in a minute.`,
    );

  return (
    <Section title="Plan and usage">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <p className="text-lg font-semibold">{pro ? "Mylo Pro" : "Free plan"}</p>
        {plan.source && <p className="text-sm text-muted-foreground">through {providerName(plan.source)}</p>}
        {plan.until && <p className="text-sm text-muted-foreground">until {formatDay(plan.until)}</p>}
      </div>

      <dl className="space-y-3">
        <UsageRow label="Messages" period="today" counter={usage.messages} />
        <UsageRow label="Research searches" period="this month" counter={usage.extremeSearches} />
      </dl>

      {!pro && (
        <p className="text-sm text-muted-foreground">
          Pro adds the most capable models, higher allowances and lookouts (scheduled research).
        </p>
      )}

      <ErrorAlert error={configError} />
      {actions?.notConfigured && (
        <p className="text-sm text-muted-foreground">
          Billing is not set up on this server, so there is nothing to buy or manage here yet.
        </p>
      )}
      {pro && actions && !actions.notConfigured && !actions.manage && (
        <p className="text-sm text-muted-foreground">This plan cannot be managed from this page.</p>
      )}
      {actions && (actions.upgrade.length > 0 || actions.manage) && (
        <div className="flex flex-wrap gap-2">
          {actions.upgrade.map((provider) => (
            <button
              key={provider}
              type="button"
              className="btn-primary"
              disabled={busy !== null}
              aria-busy={busy === `upgrade-${provider}`}
              onClick={() => void upgrade(provider)}
            >
              {upgradeLabel(provider, actions.upgrade.length)}
            </button>
          ))}
          {actions.manage && (
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              aria-busy={busy === "manage"}
              onClick={() => actions.manage && void manage(actions.manage)}
            >
              Manage subscription
            </button>
          )}
        </div>
      )}
      <ErrorAlert error={error} />
    </Section>
  );
}
