import useSWR from "swr";
import { api } from "../../lib/api";
import { formatDay } from "../../lib/format";
import {
  type Billing,
  type BillingPayment,
  type BillingSubscription,
  formatMoney,
  humanizeStatus,
  intervalLabel,
} from "../../lib/settings";
import { ErrorAlert } from "../alert";
import { Section } from "./ui";

const itemClass = "min-w-0 space-y-1 py-3 text-sm first:pt-0 last:pb-0";

function SubscriptionItem({ subscription: s }: { subscription: BillingSubscription }) {
  const period = s.endedAt
    ? `Ended ${formatDay(s.endedAt)}`
    : s.currentPeriodEnd
      ? `${s.cancelAtPeriodEnd ? "Ends" : "Renews"} ${formatDay(s.currentPeriodEnd)}`
      : null;
  return (
    <li className={itemClass}>
      <p className="flex flex-wrap justify-between gap-x-3">
        <span className="font-medium">Subscription (Polar)</span>
        <span>{humanizeStatus(s.status)}</span>
      </p>
      <p className="text-muted-foreground">
        {formatMoney(s.amount, s.currency)} {intervalLabel(s.recurringInterval)} · since{" "}
        {formatDay(s.startedAt ?? s.createdAt)}
        {period && ` · ${period}`}
      </p>
    </li>
  );
}

function PaymentItem({ payment: p }: { payment: BillingPayment }) {
  const card = p.cardLastFour ? `${p.cardNetwork ?? p.paymentMethod ?? "Card"} ending ${p.cardLastFour}` : null;
  return (
    <li className={itemClass}>
      <p className="flex flex-wrap justify-between gap-x-3">
        <span className="font-medium">
          {formatDay(p.createdAt)} · {formatMoney(p.totalAmount, p.currency)}
        </span>
        <span>{humanizeStatus(p.status)}</span>
      </p>
      <p className="text-muted-foreground">Payment (Dodo Payments){card && ` · ${card}`}</p>
      {p.errorMessage && <p className="break-words text-red-700 dark:text-red-300">{p.errorMessage}</p>}
      {p.refunds.map((refund) => (
        <p key={refund.id} className="text-muted-foreground">
          {refund.isPartial ? "Partial refund" : "Refund"}
          {refund.amount !== null && ` of ${formatMoney(refund.amount, refund.currency ?? p.currency)}`} ·{" "}
          {humanizeStatus(refund.status)} · {formatDay(refund.createdAt)}
        </p>
      ))}
      {p.disputes.map((dispute) => (
        <p key={dispute.id} className="text-muted-foreground">
          Dispute{dispute.amount && ` of ${dispute.amount} ${dispute.currency ?? ""}`.trimEnd()} ·{" "}
          {humanizeStatus(dispute.status)}
          {dispute.stage && ` (${humanizeStatus(dispute.stage).toLowerCase()})`} · {formatDay(dispute.createdAt)}
        </p>
      ))}
    </li>
  );
}

/** Subscriptions and payments as the providers' webhooks recorded them, newest first. */
export function BillingHistory() {
  const billing = useSWR("billing", () => api.billing<Billing>());
  const subscriptions = billing.data?.subscriptions ?? [];
  const payments = billing.data?.payments ?? [];
  return (
    <Section title="Billing history">
      <ErrorAlert error={billing.error} />
      {billing.isLoading && <p className="text-sm text-muted-foreground">Loading billing history…</p>}
      {billing.data && subscriptions.length === 0 && payments.length === 0 && (
        <p className="text-sm text-muted-foreground">No payments yet.</p>
      )}
      {(subscriptions.length > 0 || payments.length > 0) && (
        <ul className="divide-y divide-border">
          {subscriptions.map((subscription) => (
            <SubscriptionItem key={`s-${subscription.id}`} subscription={subscription} />
          ))}
          {payments.map((payment) => (
            <PaymentItem key={`p-${payment.id}`} payment={payment} />
          ))}
        </ul>
      )}
    </Section>
  );
}
