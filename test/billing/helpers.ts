import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/env";
import {
  BILLING_USER_ID_KEY,
  BILLING_USER_SIGNATURE_KEY,
  billingMetadataSecretOf,
  signBillingUser,
} from "../../src/services/billing/billing-user-signature";
import { call } from "../support/http";
import { dodoPaymentSucceededRaw, polarSubscriptionActiveRaw } from "./webhook-fixtures";

/** The secret the test Worker is configured with (vitest.config.ts), the official vector's. */
export const TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const POLAR_PRO_PRODUCT = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
export const DODO_PRO_PRODUCT = "pdt_mylo_pro_test";

export const config = () => loadConfig(env);

/** Checkout metadata naming `userId`, signed as createCheckout signs it: with the test Worker's secret unless given. */
export async function signedMetadata(userId: string, secret = billingMetadataSecretOf(config())) {
  if (!secret) throw new Error("The test Worker has no billing metadata secret");
  return { [BILLING_USER_ID_KEY]: userId, [BILLING_USER_SIGNATURE_KEY]: await signBillingUser(secret, userId) };
}

export function rid(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

export interface SignOptions {
  msgId?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  secret?: string;
  keyMode?: "standard" | "legacy";
}

/** Signs with the real standardwebhooks library, the way the providers do. */
export function sign(body: string, options: SignOptions = {}) {
  const msgId = options.msgId ?? rid("msg");
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.secret ?? TEST_SECRET;
  const signer =
    options.keyMode === "legacy"
      ? new Webhook(new TextEncoder().encode(secret), { format: "raw" })
      : new Webhook(secret);
  const signature = signer.sign(msgId, new Date(timestamp * 1000), body);
  return {
    msgId,
    signature,
    headers: {
      "content-type": "application/json",
      "webhook-id": msgId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    } as Record<string, string>,
  };
}

export function postWebhook(provider: "polar" | "dodo", body: string, headers: Record<string, string>) {
  return call(`/api/webhooks/${provider}`, { method: "POST", headers, body });
}

/** Through the Hono app with a modified environment (config is cached per env object, so this re-parses). */
export async function postWebhookWithEnv(
  provider: "polar" | "dodo",
  body: string,
  headers: Record<string, string>,
  overrides: Record<string, string | undefined>,
) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`http://localhost:8787/api/webhooks/${provider}`, { method: "POST", headers, body }),
    { ...env, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, { status: response.status, headers: response.headers });
}

type Json = Record<string, unknown>;

/** A Polar subscription event built from the fixture, with its own ids. */
export function polarEvent(overrides: { type?: string; data?: Json; externalId?: string | null } = {}): {
  body: string;
  subscriptionId: string;
  event: Json;
} {
  const event = JSON.parse(polarSubscriptionActiveRaw) as { type: string; data: Json & { customer: Json } };
  const subscriptionId = crypto.randomUUID();
  event.type = overrides.type ?? event.type;
  event.data = { ...event.data, id: subscriptionId, ...overrides.data };
  event.data.customer = { ...event.data.customer, external_id: overrides.externalId ?? null };
  return { body: JSON.stringify(event), subscriptionId: (event.data.id as string) ?? subscriptionId, event };
}

/** A Dodo payment event built from the fixture, with its own ids. */
export function dodoEvent(overrides: { type?: string; data?: Json } = {}): {
  body: string;
  paymentId: string;
  event: Json;
} {
  const event = JSON.parse(dodoPaymentSucceededRaw) as { type: string; data: Json };
  const paymentId = rid("pay");
  event.type = overrides.type ?? event.type;
  event.data = { ...event.data, payment_id: paymentId, ...overrides.data };
  return { body: JSON.stringify(event), paymentId: event.data.payment_id as string, event };
}

/** A Dodo refund event for `paymentId`, shaped as Dodo sends them, with its own refund id. */
export function dodoRefundEvent(
  paymentId: string,
  overrides: { type?: string; timestamp?: string; data?: Json } = {},
): { body: string; refundId: string } {
  const refundId = rid("ref");
  const event = {
    business_id: "bus_6hTq2WnR8yLm3KpX",
    type: overrides.type ?? "refund.succeeded",
    timestamp: overrides.timestamp ?? new Date().toISOString(),
    data: {
      payload_type: "Refund",
      refund_id: refundId,
      payment_id: paymentId,
      business_id: "bus_6hTq2WnR8yLm3KpX",
      created_at: new Date().toISOString(),
      status: "succeeded",
      is_partial: false,
      amount: 149900,
      currency: "INR",
      reason: "Customer asked",
      customer: { customer_id: "cus_7Yh3Jk5Lm9Np2Qr4", email: "alice@example.com", name: "Alice Example" },
      metadata: {},
      ...overrides.data,
    },
  };
  return { body: JSON.stringify(event), refundId: event.data.refund_id as string };
}

/** A Dodo dispute event for `paymentId`, shaped as Dodo sends them, with its own dispute id. */
export function dodoDisputeEvent(
  paymentId: string,
  overrides: { type?: string; timestamp?: string; data?: Json } = {},
): { body: string; disputeId: string } {
  const disputeId = rid("dsp");
  const event = {
    business_id: "bus_6hTq2WnR8yLm3KpX",
    type: overrides.type ?? "dispute.opened",
    timestamp: overrides.timestamp ?? new Date().toISOString(),
    data: {
      payload_type: "Dispute",
      dispute_id: disputeId,
      payment_id: paymentId,
      business_id: "bus_6hTq2WnR8yLm3KpX",
      created_at: new Date().toISOString(),
      dispute_status: "dispute_opened",
      dispute_stage: "dispute",
      amount: "1499.00",
      currency: "INR",
      remarks: null,
      ...overrides.data,
    },
  };
  return { body: JSON.stringify(event), disputeId: event.data.dispute_id as string };
}

/** The same provider event again, as a later (or earlier) state: another type, timestamp and data fields. */
export function restated(body: string, change: { type: string; timestamp: string; data: Json }): string {
  const event = JSON.parse(body) as { data: Json };
  return JSON.stringify({
    ...event,
    type: change.type,
    timestamp: change.timestamp,
    data: { ...event.data, ...change.data },
  });
}

export async function counts(sql: postgres.Sql, ids: { subscriptionId?: string; paymentId?: string; msgId: string }) {
  const [row] = await sql<{ subscriptions: number; payments: number; events: number }[]>`
    select
      (select count(*)::int from subscription where id = ${ids.subscriptionId ?? ""}) as subscriptions,
      (select count(*)::int from payment where id = ${ids.paymentId ?? ""}) as payments,
      (select count(*)::int from webhook_event where webhook_id = ${ids.msgId}) as events`;
  return row;
}

export const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();
export const DAY = 24 * 60 * 60 * 1000;
