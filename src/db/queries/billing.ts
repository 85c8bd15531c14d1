import { and, desc, eq, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { executeRead, type Queryable, rowsOf } from "../client";
import { user } from "../schema/auth";
import { type NewPayment, type NewSubscription, payment, subscription } from "../schema/billing";
import { type NewPaymentDispute, paymentDispute } from "../schema/payment-disputes";
import { type NewPaymentRefund, paymentRefund } from "../schema/payment-refunds";
import { webhookEvent } from "../schema/webhook-events";

export type WebhookProvider = "polar" | "dodo";

/**
 * Records a delivery as processed. Run it in the same transaction as the delivery's effect: false means
 * this (provider, webhook-id) was already processed (or is being processed by a concurrent delivery,
 * which this call waits for), so the effect must not run again.
 */
export async function claimWebhookEvent(
  db: Queryable,
  input: { provider: WebhookProvider; webhookId: string; eventType: string },
): Promise<boolean> {
  const rows = await db
    .insert(webhookEvent)
    .values(input)
    .onConflictDoNothing({ target: [webhookEvent.provider, webhookEvent.webhookId] })
    .returning({ webhookId: webhookEvent.webhookId });
  return rows.length > 0;
}

export async function findUserIdById(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.select({ id: user.id }).from(user).where(eq(user.id, id)).limit(1);
  return row?.id ?? null;
}

/** Only a verified address proves the payer owns the account; emails are stored lower-cased. */
export async function findVerifiedUserIdByEmail(db: Queryable, email: string): Promise<string | null> {
  const [row] = await db
    .select({ id: user.id })
    .from(user)
    .where(and(eq(user.email, email.trim().toLowerCase()), eq(user.emailVerified, true)))
    .limit(1);
  return row?.id ?? null;
}

/** `set` for an upsert: every column from the incoming row, except the key and the user link. */
function takeIncoming(table: PgTable, tableName: string): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [prop, column] of Object.entries(getTableColumns(table))) {
    if (prop === "id") continue;
    set[prop] =
      prop === "userId"
        ? // A known user is never replaced: not by NULL, and not by a different user.
          sql.raw(`coalesce("${tableName}"."user_id", excluded."user_id")`)
        : sql.raw(`excluded."${column.name}"`);
  }
  return set;
}

/**
 * Inserts or updates a Polar subscription unless the stored state is newer (by `modified_at`, else
 * `created_at`): deliveries can arrive out of order. Returns whether the incoming state was applied.
 */
export async function upsertSubscription(db: Queryable, row: NewSubscription): Promise<boolean> {
  const applied = await db
    .insert(subscription)
    .values(row)
    .onConflictDoUpdate({
      target: subscription.id,
      set: takeIncoming(subscription, "subscription"),
      setWhere: sql.raw(
        `coalesce("subscription"."modified_at", "subscription"."created_at") <= coalesce(excluded."modified_at", excluded."created_at")`,
      ),
    })
    .returning({ id: subscription.id });
  return applied.length > 0;
}

/**
 * Inserts or updates a Dodo payment unless the stored state is newer (by `updated_at`, else `created_at`).
 * Returns whether the incoming state was applied.
 */
export async function upsertPayment(db: Queryable, row: NewPayment): Promise<boolean> {
  const applied = await db
    .insert(payment)
    .values(row)
    .onConflictDoUpdate({
      target: payment.id,
      set: takeIncoming(payment, "payment"),
      setWhere: sql.raw(
        `coalesce("payment"."updated_at", "payment"."created_at") <= coalesce(excluded."updated_at", excluded."created_at")`,
      ),
    })
    .returning({ id: payment.id });
  return applied.length > 0;
}

/**
 * Inserts or updates Dodo refunds, each unless its stored state is newer (by `updated_at`): a refund's
 * `pending` can be delivered after its `succeeded`.
 */
export function upsertRefunds(db: Queryable, rows: NewPaymentRefund[]): Promise<void> {
  return upsertUnlessNewer(db, paymentRefund, "payment_refund", rows);
}

/** Inserts or updates Dodo disputes, each unless its stored state is newer (by `updated_at`). */
export function upsertDisputes(db: Queryable, rows: NewPaymentDispute[]): Promise<void> {
  return upsertUnlessNewer(db, paymentDispute, "payment_dispute", rows);
}

async function upsertUnlessNewer(
  db: Queryable,
  table: typeof paymentRefund | typeof paymentDispute,
  tableName: string,
  rows: Array<NewPaymentRefund | NewPaymentDispute>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(table)
    .values(rows as never[])
    .onConflictDoUpdate({
      target: table.id,
      set: takeIncoming(table, tableName),
      setWhere: sql.raw(`"${tableName}"."updated_at" <= excluded."updated_at"`),
    });
}

/** An older delivery still carries who the customer is: link a row that has no user yet, never re-link. */
export async function linkSubscriptionUser(db: Queryable, id: string, userId: string): Promise<void> {
  await db
    .update(subscription)
    .set({ userId })
    .where(and(eq(subscription.id, id), isNull(subscription.userId)));
}

export async function linkPaymentUser(db: Queryable, id: string, userId: string): Promise<void> {
  await db
    .update(payment)
    .set({ userId })
    .where(and(eq(payment.id, id), isNull(payment.userId)));
}

/**
 * A user's plan candidates as two JSON columns, `subscriptions` and `payments`, for one select; `userId`
 * is the user's id as a value, or as an expression (alongside the session lookup).
 */
export function planCandidateColumns(input: { userId: string | SQL; paidAfter: Date }) {
  return sql`
    (select coalesce(json_agg(json_build_object('status', s.status, 'productId', s.product_id,
              'currentPeriodEnd', s.current_period_end)), '[]'::json)
       from subscription s
      where s.user_id = ${input.userId} and s.status in ('active', 'trialing')) as subscriptions,
    (select coalesce(json_agg(json_build_object('status', p.status, 'productCart', p.product_cart,
              'createdAt', p.created_at, 'totalAmount', p.total_amount,
              'refundedAmount', refunded.amount, 'fullyRefunded', refunded.whole,
              'disputeStatuses', (select coalesce(json_agg(d.status), '[]'::json)
                                    from payment_dispute d where d.payment_id = p.id))), '[]'::json)
       from payment p
       cross join lateral (
         select coalesce(sum(r.amount), 0)::int as amount, coalesce(bool_or(not r.is_partial), false) as whole
           from payment_refund r
          where r.payment_id = p.id and r.status = 'succeeded') refunded
      where p.user_id = ${input.userId} and p.status = 'succeeded'
        and p.created_at > ${input.paidAfter.toISOString()}::timestamptz) as payments`;
}

export interface PlanCandidateColumns {
  subscriptions: Array<{ status: string; productId: string; currentPeriodEnd: string | null }>;
  payments: Array<{
    status: string | null;
    productCart: unknown;
    createdAt: string;
    totalAmount: number | null;
    refundedAmount: number;
    fullyRefunded: boolean;
    disputeStatuses: string[];
  }>;
}

/** The candidates as decidePlan takes them, from the columns of planCandidateColumns. */
export function planCandidatesOf(row: PlanCandidateColumns | undefined) {
  return {
    subscriptions: (row?.subscriptions ?? []).map((entry) => ({
      ...entry,
      currentPeriodEnd: entry.currentPeriodEnd === null ? null : new Date(entry.currentPeriodEnd),
    })),
    payments: (row?.payments ?? []).map((entry) => ({ ...entry, createdAt: new Date(entry.createdAt) })),
  };
}

/** The rows that can make a user Pro right now, in one round trip; the decision itself is decidePlan's. */
export async function listPlanCandidates(db: Queryable, input: { userId: string; paidAfter: Date }) {
  const [row] = rowsOf<PlanCandidateColumns>(await db.execute(sql`select ${planCandidateColumns(input)}`));
  return planCandidatesOf(row);
}

export async function listSubscriptionsOfUser(db: Queryable, userId: string) {
  return db
    .select({
      id: subscription.id,
      status: subscription.status,
      productId: subscription.productId,
      amount: subscription.amount,
      currency: subscription.currency,
      recurringInterval: subscription.recurringInterval,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      canceledAt: subscription.canceledAt,
      startedAt: subscription.startedAt,
      endsAt: subscription.endsAt,
      endedAt: subscription.endedAt,
      createdAt: subscription.createdAt,
      modifiedAt: subscription.modifiedAt,
    })
    .from(subscription)
    .where(eq(subscription.userId, userId))
    .orderBy(desc(subscription.createdAt), desc(subscription.id));
}

/** A refund as listed with its payment; `createdAt` is Postgres's JSON rendering of the instant. */
export interface RefundListing {
  id: string;
  status: string;
  amount: number | null;
  currency: string | null;
  isPartial: boolean;
  createdAt: string;
}

/** A dispute as listed with its payment; `createdAt` is Postgres's JSON rendering of the instant. */
export interface DisputeListing {
  id: string;
  status: string;
  stage: string | null;
  amount: string | null;
  currency: string | null;
  createdAt: string;
}

/** A user's payments, newest first, each with its refunds and disputes (oldest first). */
export async function listPaymentsOfUser(db: Queryable, userId: string) {
  return db
    .select({
      id: payment.id,
      status: payment.status,
      totalAmount: payment.totalAmount,
      tax: payment.tax,
      currency: payment.currency,
      productCart: payment.productCart,
      subscriptionId: payment.subscriptionId,
      paymentMethod: payment.paymentMethod,
      paymentMethodType: payment.paymentMethodType,
      cardLastFour: payment.cardLastFour,
      cardNetwork: payment.cardNetwork,
      cardType: payment.cardType,
      errorCode: payment.errorCode,
      errorMessage: payment.errorMessage,
      createdAt: payment.createdAt,
      updatedAt: payment.updatedAt,
      refunds: sql<RefundListing[]>`(
        select coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'amount', r.amount,
                 'currency', r.currency, 'isPartial', r.is_partial, 'createdAt', r.created_at)
                 order by r.created_at, r.id), '[]'::json)
          from payment_refund r
         where r.payment_id = "payment"."id")`,
      disputes: sql<DisputeListing[]>`(
        select coalesce(json_agg(json_build_object('id', d.id, 'status', d.status, 'stage', d.stage,
                 'amount', d.amount, 'currency', d.currency, 'createdAt', d.created_at)
                 order by d.created_at, d.id), '[]'::json)
          from payment_dispute d
         where d.payment_id = "payment"."id")`,
    })
    .from(payment)
    .where(eq(payment.userId, userId))
    .orderBy(desc(payment.createdAt), desc(payment.id));
}

interface PlanAndUsageBounds {
  paidAfter: Date;
  day: Date;
  month: Date;
}

type PlanAndUsageRow = PlanCandidateColumns & { messages: number | null; searches: number | null };

function planAndUsageQuery(userId: SQL, bounds: PlanAndUsageBounds): SQL {
  return sql`
      select
        ${planCandidateColumns({ userId, paidAfter: bounds.paidAfter })},
        (select message_count from message_usage
          where user_id = ${userId} and date = ${bounds.day.toISOString()}::timestamptz) as messages,
        (select search_count from extreme_search_usage
          where user_id = ${userId} and date = ${bounds.month.toISOString()}::timestamptz) as searches`;
}

function planAndUsageOf(row: PlanAndUsageRow | undefined) {
  return {
    ...planCandidatesOf(row),
    messages: Number(row?.messages ?? 0),
    searches: Number(row?.searches ?? 0),
  };
}

/**
 * Everything `GET /api/me` needs besides the session, in one round trip: the plan candidates (as
 * listPlanCandidates selects them) and today's and this month's usage counters.
 */
export async function readPlanAndUsage(db: Queryable, input: { userId: string } & PlanAndUsageBounds) {
  const [row] = await executeRead<PlanAndUsageRow>(db, planAndUsageQuery(sql`${input.userId}`, input));
  return planAndUsageOf(row);
}
