import { useEffect } from "react";
import { ErrorAlert } from "../components/alert";
import { BillingHistory } from "../components/settings/billing-history";
import { CheckoutNotice } from "../components/settings/checkout-notice";
import { DataSection } from "../components/settings/data-section";
import { InstructionsSection } from "../components/settings/instructions-section";
import { PlanSection } from "../components/settings/plan-section";
import { useAppConfig } from "../hooks/use-config";
import { useMe } from "../hooks/use-me";

export default function SettingsPage() {
  const me = useMe();
  const config = useAppConfig();

  useEffect(() => {
    document.title = "Settings · Mylo";
  }, []);

  return (
    <div className="mx-auto w-full max-w-2xl space-y-4 px-3 py-6 sm:px-6">
      <header className="min-w-0">
        <h1 className="text-2xl font-semibold">Settings</h1>
        {me.data && (
          <p className="break-words text-sm text-muted-foreground">
            Signed in as {me.data.user.name} ({me.data.user.email})
          </p>
        )}
      </header>

      <CheckoutNotice tier={me.data?.plan.tier} revalidate={me.mutate} />
      <ErrorAlert error={me.error} />
      {me.isLoading && (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Loading your plan…
        </p>
      )}
      {me.data && <PlanSection me={me.data} config={config.data} configError={config.error} />}
      <InstructionsSection />
      <BillingHistory />
      <DataSection pro={me.data?.plan.tier === "pro"} />
    </div>
  );
}
