import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { webhookReceiptSchema } from "../../src/routes/webhooks/webhooks.routes";
import { billingMetadataSecretOf, signBillingUser } from "../../src/services/billing/billing-user-signature";
import { getPlan } from "../../src/services/billing/get-plan";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createUser } from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import {
  config,
  counts,
  DAY,
  DODO_PRO_PRODUCT,
  dodoDisputeEvent,
  dodoEvent,
  dodoRefundEvent,
  isoIn,
  POLAR_PRO_PRODUCT,
  polarEvent,
  postWebhook,
  postWebhookWithEnv,
  restated,
  rid,
  sign,
  signedMetadata,
} from "./helpers";
import { dodoPaymentSucceededRaw, polarSubscriptionActiveRaw, vectors } from "./webhook-fixtures";

const { sql, db, handle } = useTestDatabase();

afterEach(() => {
  vi.useRealTimers();
});

async function accepted(response: Response, duplicate = false) {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const body = webhookReceiptSchema.parse(JSON.parse(text));
  expect(body).toEqual(duplicate ? { received: true, duplicate: true } : { received: true });
}

/** Signs and posts a Dodo delivery the way Dodo does, and expects it accepted as new. */
const deliverDodo = async (body: string) => accepted(await postWebhook("dodo", body, sign(body).headers));

const subscriptionRow = async (id: string) => {
  const [row] = await sql`select * from subscription where id = ${id}`;
  return row;
};
const paymentRow = async (id: string) => {
  const [row] = await sql`select * from payment where id = ${id}`;
  return row;
};
const planOf = (userId: string) => getPlan({ ctx: { db: handle.db, config: config() }, input: { userId } });

describe("fixture deliveries, signed as the providers sign them", () => {
  const polarVector = vectors.derived.find((v) => "payload_file" in v && v.payload_file.startsWith("polar"));
  const dodoVector = vectors.derived.find((v) => "payload_file" in v && v.payload_file.startsWith("dodo"));
  const polarFixture = JSON.parse(polarSubscriptionActiveRaw) as { data: Record<string, unknown> };
  const dodoFixture = JSON.parse(dodoPaymentSucceededRaw) as { data: Record<string, unknown> };

  beforeAll(async () => {
    // The fixtures' ids are fixed: start from nothing so a rerun against the same database still proves it.
    await sql`delete from webhook_event where webhook_id in (${polarVector?.msg_id ?? ""}, ${dodoVector?.msg_id ?? ""})`;
    await sql`delete from subscription where id = ${polarFixture.data.id as string}`;
    await sql`delete from payment where id = ${dodoFixture.data.payment_id as string}`;
  });

  it("stores the Polar fixture (standard key), then recognises the legacy-key redelivery only in legacy mode", async () => {
    if (!polarVector || !("expected_polar_legacy_utf8_key" in polarVector)) throw new Error("vector missing");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(polarVector.timestamp * 1000 + 30_000);
    const headers = {
      "content-type": "application/json",
      "webhook-id": polarVector.msg_id,
      "webhook-timestamp": String(polarVector.timestamp),
      "webhook-signature": polarVector.expected,
    };
    const legacyHeaders = { ...headers, "webhook-signature": polarVector.expected_polar_legacy_utf8_key };

    // Wrong key mode first: nothing may be written.
    await expectEnvelope(
      await postWebhook("polar", polarSubscriptionActiveRaw, legacyHeaders),
      401,
      "INVALID_SIGNATURE",
    );
    await expectEnvelope(
      await postWebhookWithEnv("polar", polarSubscriptionActiveRaw, headers, { POLAR_WEBHOOK_KEY_MODE: "legacy" }),
      401,
      "INVALID_SIGNATURE",
    );
    expect(await counts(sql, { subscriptionId: polarFixture.data.id as string, msgId: polarVector.msg_id })).toEqual({
      subscriptions: 0,
      payments: 0,
      events: 0,
    });

    await accepted(await postWebhook("polar", polarSubscriptionActiveRaw, headers));
    await accepted(
      await postWebhookWithEnv("polar", polarSubscriptionActiveRaw, legacyHeaders, {
        POLAR_WEBHOOK_KEY_MODE: "legacy",
      }),
      true,
    );

    const row = await subscriptionRow(polarFixture.data.id as string);
    expect(row).toMatchObject({
      user_id: null, // usr_8Kq2mX4vN7pR1tZ9 is not a user here: stored unlinked
      created_at: new Date("2025-01-01T00:00:00Z"),
      modified_at: new Date("2025-01-01T00:00:05Z"),
      amount: 1500,
      currency: "usd",
      recurring_interval: "month",
      status: "active",
      current_period_start: new Date("2025-01-01T00:00:00Z"),
      current_period_end: new Date("2025-02-01T00:00:00Z"),
      cancel_at_period_end: false,
      canceled_at: null,
      started_at: new Date("2025-01-01T00:00:00Z"),
      ends_at: null,
      ended_at: null,
      customer_id: "3c9e5a11-7b2f-4e8d-a6c4-5f0e1d2c3b4a",
      product_id: POLAR_PRO_PRODUCT,
      discount_id: null,
      checkout_id: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
      customer_cancellation_reason: null,
      customer_cancellation_comment: null,
      metadata: "{}",
      custom_field_data: "{}",
    });
    const [event] = await sql`select provider, event_type from webhook_event where webhook_id = ${polarVector.msg_id}`;
    expect(event).toEqual({ provider: "polar", event_type: "subscription.active" });
  });

  it("stores the Dodo fixture with every column filled from the payload", async () => {
    if (!dodoVector) throw new Error("vector missing");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(dodoVector.timestamp * 1000 - 60_000);
    const headers = {
      "content-type": "application/json",
      "webhook-id": dodoVector.msg_id,
      "webhook-timestamp": String(dodoVector.timestamp),
      "webhook-signature": dodoVector.expected,
    };
    await accepted(await postWebhook("dodo", dodoPaymentSucceededRaw, headers));
    const row = await paymentRow(dodoFixture.data.payment_id as string);
    expect(row).toEqual({
      id: "pay_2Xk9Lm4Qp7Rs1Tv8",
      user_id: row?.user_id ?? null, // alice@example.com is linked only if such a verified user exists
      created_at: new Date("2025-01-01T00:00:00Z"),
      updated_at: new Date("2025-01-01T00:00:02Z"),
      brand_id: "bus_6hTq2WnR8yLm3KpX",
      business_id: "bus_6hTq2WnR8yLm3KpX",
      card_issuing_country: "IN",
      card_last_four: "4242",
      card_network: "VISA",
      card_type: "CREDIT",
      currency: "INR",
      digital_products_delivered: false,
      discount_id: null,
      error_code: null,
      error_message: null,
      payment_link: "https://test.checkout.dodopayments.com/abc123",
      payment_method: "card",
      payment_method_type: "visa",
      settlement_amount: 1770,
      settlement_currency: "USD",
      settlement_tax: 270,
      status: "succeeded",
      subscription_id: "sub_4Fg6Hj8Kl0Mn2Pq5",
      tax: 22866,
      total_amount: 149900,
      billing: { city: "Bengaluru", country: "IN", state: "Karnataka", street: "1 MG Road", zipcode: "560001" },
      customer: {
        customer_id: "cus_7Yh3Jk5Lm9Np2Qr4",
        email: "alice@example.com",
        name: "Alice Example",
        metadata: {},
        phone_number: null,
      },
      disputes: [],
      metadata: {},
      product_cart: null,
      refunds: [],
    });
  });

  it("answers the official vectors: a valid signature passes (recorded, not an event), the negatives are 401", async () => {
    const v = vectors.official[0];
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(v.timestamp * 1000);
    const headers = (signature: string) => ({
      "content-type": "application/json",
      "webhook-id": v.msg_id,
      "webhook-timestamp": String(v.timestamp),
      "webhook-signature": signature,
    });
    await sql`delete from webhook_event where webhook_id = ${v.msg_id}`;
    for (const bad of vectors.official_negative.invalid_signatures) {
      await expectEnvelope(await postWebhook("polar", v.payload, headers(bad)), 401, "INVALID_SIGNATURE");
    }
    const [none] = await sql`select count(*)::int as n from webhook_event where webhook_id = ${v.msg_id}`;
    expect(none?.n).toBe(0);
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await accepted(await postWebhook("polar", v.payload, headers(v.expected)));
      const multi = vectors.official_negative.multi_sig_header_template.replace("<VALID>", v.expected);
      await accepted(await postWebhook("dodo", v.payload, headers(multi)));
    } finally {
      warnings.mockRestore();
    }
    const recorded = await sql`select provider from webhook_event where webhook_id = ${v.msg_id} order by provider`;
    expect(recorded.map((row) => row.provider)).toEqual(["dodo", "polar"]);
  });
});

describe("refused deliveries change nothing", () => {
  const now = () => Math.floor(Date.now() / 1000);

  async function expectRefused(
    response: Response,
    status: number,
    code: string,
    ids: { subscriptionId?: string; paymentId?: string; msgId: string },
  ) {
    await expectEnvelope(response, status, code);
    expect(await counts(sql, ids)).toEqual({ subscriptions: 0, payments: 0, events: 0 });
  }

  const cases: Array<[string, (body: string) => { body: string; headers: Record<string, string> }, number]> = [
    [
      "no webhook-signature header",
      (body) => {
        const { headers } = sign(body);
        delete headers["webhook-signature"];
        return { body, headers };
      },
      401,
    ],
    [
      "no webhook-id header",
      (body) => {
        const { headers } = sign(body);
        delete headers["webhook-id"];
        return { body, headers };
      },
      401,
    ],
    [
      "no webhook-timestamp header",
      (body) => {
        const { headers } = sign(body);
        delete headers["webhook-timestamp"];
        return { body, headers };
      },
      401,
    ],
    [
      "a signature made with another secret",
      (body) => ({ body, headers: sign(body, { secret: "whsec_QW5vdGhlclNlY3JldEtleTEyMzQ1Njc4OQ==" }).headers }),
      401,
    ],
    [
      "a truncated signature",
      (body) => {
        const { headers } = sign(body);
        headers["webhook-signature"] = (headers["webhook-signature"] as string).slice(0, 20);
        return { body, headers };
      },
      401,
    ],
    [
      "an empty signature",
      (body) => {
        const { headers } = sign(body);
        headers["webhook-signature"] = "v1,";
        return { body, headers };
      },
      401,
    ],
    [
      "only a v1a entry",
      (body) => {
        const { headers } = sign(body);
        headers["webhook-signature"] = (headers["webhook-signature"] as string).replace("v1,", "v1a,");
        return { body, headers };
      },
      401,
    ],
    [
      "only a v2 entry",
      (body) => {
        const { headers } = sign(body);
        headers["webhook-signature"] = (headers["webhook-signature"] as string).replace("v1,", "v2,");
        return { body, headers };
      },
      401,
    ],
    ["a timestamp 301 s old", (body) => ({ body, headers: sign(body, { timestamp: now() - 301 }).headers }), 401],
    ["a timestamp 301 s ahead", (body) => ({ body, headers: sign(body, { timestamp: now() + 301 }).headers }), 401],
    [
      "a timestamp with trailing letters (which parseInt would accept)",
      (body) => {
        const { headers } = sign(body);
        headers["webhook-timestamp"] = `${headers["webhook-timestamp"]}abc`;
        return { body, headers };
      },
      401,
    ],
    [
      "a re-serialized body (same JSON, other whitespace)",
      (body) => ({ body: JSON.stringify(JSON.parse(body), null, 2), headers: sign(body).headers }),
      401,
    ],
  ];

  it.each(cases)("Polar: %s", async (_name, make, status) => {
    const { body: original, subscriptionId } = polarEvent();
    const { body, headers } = make(original);
    const msgId = headers["webhook-id"] ?? rid("none");
    await expectRefused(await postWebhook("polar", body, headers), status, "INVALID_SIGNATURE", {
      subscriptionId,
      msgId,
    });
  });

  it.each(cases)("Dodo: %s", async (_name, make, status) => {
    const { body: original, paymentId } = dodoEvent();
    const { body, headers } = make(original);
    const msgId = headers["webhook-id"] ?? rid("none");
    await expectRefused(await postWebhook("dodo", body, headers), status, "INVALID_SIGNATURE", { paymentId, msgId });
  });

  it("refuses a correctly signed body over 1 MiB with 413", async () => {
    const polar = polarEvent({ data: { metadata: { padding: "x".repeat(1024 * 1024) } } });
    const signedPolar = sign(polar.body);
    await expectRefused(await postWebhook("polar", polar.body, signedPolar.headers), 413, "PAYLOAD_TOO_LARGE", {
      subscriptionId: polar.subscriptionId,
      msgId: signedPolar.msgId,
    });
    const dodo = dodoEvent({ data: { metadata: { padding: "y".repeat(1024 * 1024) } } });
    const signedDodo = sign(dodo.body);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(dodo.body);
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
          controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        }
        controller.close();
      },
    });
    const response = await postWebhookStream("dodo", chunked, signedDodo.headers);
    await expectRefused(response, 413, "PAYLOAD_TOO_LARGE", { paymentId: dodo.paymentId, msgId: signedDodo.msgId });
  });

  it("records and acknowledges a correctly signed event it can never read, writing nothing else", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const polar = polarEvent({ data: { amount: "fifteen", current_period_start: "yesterday" } });
      const dodo = dodoEvent({ data: { total_amount: 2 ** 40 } });
      const notJson = "not json at all";
      const notAnEvent = JSON.stringify({ type: 42, data: {} });
      const deliveries: Array<
        [provider: "polar" | "dodo", body: string, ids: { subscriptionId?: string; paymentId?: string }]
      > = [
        ["polar", polar.body, { subscriptionId: polar.subscriptionId }],
        ["dodo", dodo.body, { paymentId: dodo.paymentId }],
        ["dodo", notJson, {}],
        ["polar", notAnEvent, {}],
      ];
      const types: string[] = [];
      for (const [provider, body, ids] of deliveries) {
        const signed = sign(body);
        await accepted(await postWebhook(provider, body, signed.headers));
        expect(await counts(sql, { ...ids, msgId: signed.msgId })).toEqual({
          subscriptions: 0,
          payments: 0,
          events: 1,
        });
        // The provider's retry of the same bytes is a duplicate, not a new failure.
        await accepted(await postWebhook(provider, body, signed.headers), true);
        expect(await counts(sql, { ...ids, msgId: signed.msgId })).toEqual({
          subscriptions: 0,
          payments: 0,
          events: 1,
        });
        const logged = warnings.mock.calls.map((args) => String(args[0])).filter((line) => line.includes(signed.msgId));
        expect(
          logged.some((line) => line.includes('"webhook.unprocessable"')),
          `${provider}: ${body}`,
        ).toBe(true);
        const [row] = await sql`select event_type from webhook_event where webhook_id = ${signed.msgId}`;
        types.push(String(row?.event_type));
      }
      // The event's type when it could be read, so the record says what was dropped.
      expect(types).toEqual([
        (JSON.parse(polar.body) as { type: string }).type,
        (JSON.parse(dodo.body) as { type: string }).type,
        "unreadable",
        "unreadable",
      ]);
    } finally {
      warnings.mockRestore();
    }
  });

  it("answers 503 and writes nothing when the provider's secret is not configured or unusable", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const secret of ["", "whsec_", "whsec_not base64!"]) {
        const polar = polarEvent();
        const signed = sign(polar.body);
        const response = await postWebhookWithEnv("polar", polar.body, signed.headers, {
          POLAR_WEBHOOK_SECRET: secret,
        });
        await expectRefused(response, 503, "SERVICE_UNAVAILABLE", {
          subscriptionId: polar.subscriptionId,
          msgId: signed.msgId,
        });
      }
      const dodo = dodoEvent();
      const signed = sign(dodo.body);
      const response = await postWebhookWithEnv("dodo", dodo.body, signed.headers, { DODO_WEBHOOK_SECRET: undefined });
      await expectRefused(response, 503, "SERVICE_UNAVAILABLE", { paymentId: dodo.paymentId, msgId: signed.msgId });
      expect(errors.mock.calls.some((args) => String(args[0]).includes("webhook.secret"))).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });
});

function postWebhookStream(
  provider: "polar" | "dodo",
  body: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
) {
  return call(`/api/webhooks/${provider}`, { method: "POST", headers, body });
}

describe("accepted deliveries", () => {
  it("accepts a header with several signatures when one is valid", async () => {
    const { body, subscriptionId } = polarEvent();
    const { headers, msgId } = sign(body);
    const other = sign(body, { msgId, secret: "whsec_QW5vdGhlclNlY3JldEtleTEyMzQ1Njc4OQ==" }).signature;
    headers["webhook-signature"] = `v2,abc ${other} v1a,xyz ${headers["webhook-signature"]} ${other}`;
    await accepted(await postWebhook("polar", body, headers));
    expect(await counts(sql, { subscriptionId, msgId })).toEqual({ subscriptions: 1, payments: 0, events: 1 });
  });

  it("processes a replayed webhook-id once: the second delivery is acknowledged and does nothing", async () => {
    const user = await createUser(db);
    const first = polarEvent({ externalId: user.id, data: { current_period_end: isoIn(10 * DAY) } });
    const { headers, msgId } = sign(first.body);
    await accepted(await postWebhook("polar", first.body, headers));
    await accepted(await postWebhook("polar", first.body, headers), true);

    // Same webhook-id, other (newer) content, freshly signed: still the same delivery, so no effect.
    const event = first.event as { type: string; data: Record<string, unknown> };
    const changed = JSON.stringify({
      ...event,
      type: "subscription.revoked",
      data: { ...event.data, status: "canceled", modified_at: isoIn(0) },
    });
    await accepted(await postWebhook("polar", changed, sign(changed, { msgId }).headers), true);
    expect((await subscriptionRow(first.subscriptionId))?.status).toBe("active");
    expect(await counts(sql, { subscriptionId: first.subscriptionId, msgId })).toEqual({
      subscriptions: 1,
      payments: 0,
      events: 1,
    });
    expect(await planOf(user.id)).toMatchObject({ tier: "pro", source: "polar" });
  });

  it("processes the same webhook-id delivered concurrently once", async () => {
    const { body, subscriptionId } = polarEvent();
    const { headers, msgId } = sign(body);
    const responses = await Promise.all([1, 2, 3, 4].map(() => postWebhook("polar", body, headers)));
    const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, json: await r.json() })));
    expect(bodies.every((b) => b.status === 200)).toBe(true);
    expect(bodies.filter((b) => (b.json as { duplicate?: boolean }).duplicate !== true)).toHaveLength(1);
    expect(await counts(sql, { subscriptionId, msgId })).toEqual({ subscriptions: 1, payments: 0, events: 1 });
  });

  it("keeps the newer state when an older one arrives later (revoked, then an older active)", async () => {
    const user = await createUser(db);
    const revoked = polarEvent({
      type: "subscription.revoked",
      externalId: user.id,
      data: {
        status: "canceled",
        modified_at: isoIn(-1 * DAY),
        ended_at: isoIn(-1 * DAY),
        current_period_end: isoIn(20 * DAY),
      },
    });
    await accepted(await postWebhook("polar", revoked.body, sign(revoked.body).headers));
    const event = revoked.event as { data: Record<string, unknown> };
    const olderActive = JSON.stringify({
      type: "subscription.active",
      timestamp: isoIn(0),
      data: { ...event.data, status: "active", ended_at: null, modified_at: isoIn(-2 * DAY) },
    });
    await accepted(await postWebhook("polar", olderActive, sign(olderActive).headers));
    const row = await subscriptionRow(revoked.subscriptionId);
    expect(row).toMatchObject({ status: "canceled", user_id: user.id });
    expect(await planOf(user.id)).toEqual({ tier: "free", source: null, until: null });
  });

  it("stores an unknown customer unlinked, and never unlinks or re-links a linked one", async () => {
    const unknown = polarEvent({ externalId: rid("usr_nobody") });
    await accepted(await postWebhook("polar", unknown.body, sign(unknown.body).headers));
    expect((await subscriptionRow(unknown.subscriptionId))?.user_id).toBeNull();

    const owner = await createUser(db);
    const other = await createUser(db);
    const linked = polarEvent({ externalId: owner.id, data: { modified_at: isoIn(-3 * DAY) } });
    await accepted(await postWebhook("polar", linked.body, sign(linked.body).headers));
    const data = (linked.event as { data: Record<string, unknown> }).data;
    const later = (modifiedAt: string, externalId: string | null, status: string) =>
      JSON.stringify({
        type: "subscription.updated",
        data: {
          ...data,
          status,
          modified_at: modifiedAt,
          customer: { ...(data.customer as object), external_id: externalId },
        },
      });
    const withoutUser = later(isoIn(-2 * DAY), null, "past_due");
    await accepted(await postWebhook("polar", withoutUser, sign(withoutUser).headers));
    expect(await subscriptionRow(linked.subscriptionId)).toMatchObject({ user_id: owner.id, status: "past_due" });
    const otherUser = later(isoIn(-1 * DAY), other.id, "active");
    await accepted(await postWebhook("polar", otherUser, sign(otherUser).headers));
    expect(await subscriptionRow(linked.subscriptionId)).toMatchObject({ user_id: owner.id, status: "active" });
  });

  it("links an unlinked subscription when an older delivery names a known user, without applying its state", async () => {
    const user = await createUser(db);
    const newer = polarEvent({ externalId: null, data: { status: "past_due", modified_at: isoIn(-1 * DAY) } });
    await accepted(await postWebhook("polar", newer.body, sign(newer.body).headers));
    const data = (newer.event as { data: Record<string, unknown> }).data;
    const older = JSON.stringify({
      type: "subscription.created",
      data: {
        ...data,
        status: "incomplete",
        modified_at: isoIn(-2 * DAY),
        customer: { ...(data.customer as object), external_id: user.id },
      },
    });
    await accepted(await postWebhook("polar", older, sign(older).headers));
    expect(await subscriptionRow(newer.subscriptionId)).toMatchObject({ user_id: user.id, status: "past_due" });
  });

  it("gives Pro for an active subscription to a configured product, and not for another product", async () => {
    const user = await createUser(db);
    const periodEnd = isoIn(15 * DAY);
    const other = polarEvent({
      externalId: user.id,
      data: { product_id: "not-a-pro-product", current_period_end: periodEnd },
    });
    await accepted(await postWebhook("polar", other.body, sign(other.body).headers));
    expect((await subscriptionRow(other.subscriptionId))?.user_id).toBe(user.id);
    expect((await planOf(user.id)).tier).toBe("free");

    const pro = polarEvent({ externalId: user.id, data: { current_period_end: periodEnd, status: "trialing" } });
    await accepted(await postWebhook("polar", pro.body, sign(pro.body).headers));
    expect(await planOf(user.id)).toEqual({ tier: "pro", source: "polar", until: new Date(periodEnd) });
  });

  it("acknowledges unknown event types and records only the delivery", async () => {
    const body = JSON.stringify({ type: "checkout.created", timestamp: isoIn(0), data: { id: rid("chk") } });
    const { headers, msgId } = sign(body);
    await accepted(await postWebhook("polar", body, headers));
    const dodoBody = JSON.stringify({
      type: "license_key.created",
      business_id: "bus_x",
      timestamp: isoIn(0),
      data: {},
    });
    const dodoSigned = sign(dodoBody);
    await accepted(await postWebhook("dodo", dodoBody, dodoSigned.headers));
    const rows =
      await sql`select provider, event_type from webhook_event where webhook_id in (${msgId}, ${dodoSigned.msgId}) order by provider`;
    expect(rows).toEqual([
      { provider: "dodo", event_type: "license_key.created" },
      { provider: "polar", event_type: "checkout.created" },
    ]);
  });
});

describe("Dodo payments", () => {
  const proCart = [{ product_id: DODO_PRO_PRODUCT, quantity: 1 }];

  it("links the user from signed checkout metadata and makes them Pro for DODO_PRO_DAYS", async () => {
    const user = await createUser(db);
    const createdAt = isoIn(-2 * DAY);
    const { body, paymentId } = dodoEvent({
      data: {
        metadata: await signedMetadata(user.id),
        product_cart: proCart,
        created_at: createdAt,
        updated_at: createdAt,
      },
    });
    await accepted(await postWebhook("dodo", body, sign(body).headers));
    expect(await paymentRow(paymentId)).toMatchObject({ user_id: user.id, product_cart: proCart, status: "succeeded" });
    expect(await planOf(user.id)).toEqual({
      tier: "pro",
      source: "dodo",
      until: new Date(new Date(createdAt).getTime() + config().DODO_PRO_DAYS * DAY),
    });
  });

  it("falls back to a verified user with the customer's email, never an unverified one", async () => {
    const verified = await createUser(db);
    const a = dodoEvent({ data: { customer: { customer_id: rid("cus"), email: verified.email.toUpperCase() } } });
    await accepted(await postWebhook("dodo", a.body, sign(a.body).headers));
    expect((await paymentRow(a.paymentId))?.user_id).toBe(verified.id);

    const unverified = await createUser(db, { emailVerified: false });
    const b = dodoEvent({
      data: { metadata: { user_id: rid("usr_gone") }, customer: { customer_id: rid("cus"), email: unverified.email } },
    });
    await accepted(await postWebhook("dodo", b.body, sign(b.body).headers));
    expect((await paymentRow(b.paymentId))?.user_id).toBeNull();
  });

  it("keeps the newer payment state and does not give Pro for an unconfigured product", async () => {
    const user = await createUser(db);
    const succeeded = dodoEvent({
      data: {
        metadata: await signedMetadata(user.id),
        product_cart: [{ product_id: "pdt_other", quantity: 1 }],
        updated_at: isoIn(-1000),
      },
    });
    await accepted(await postWebhook("dodo", succeeded.body, sign(succeeded.body).headers));
    const data = (succeeded.event as { data: Record<string, unknown> }).data;
    const olderProcessing = JSON.stringify({
      type: "payment.processing",
      timestamp: isoIn(0),
      data: { ...data, status: "processing", updated_at: isoIn(-5000), metadata: {} },
    });
    await accepted(await postWebhook("dodo", olderProcessing, sign(olderProcessing).headers));
    expect(await paymentRow(succeeded.paymentId)).toMatchObject({ status: "succeeded", user_id: user.id });
    expect((await planOf(user.id)).tier).toBe("free");
  });

  it("orders by the delivery timestamp when a payment event has no updated_at", async () => {
    const { body, paymentId, event } = dodoEvent({ data: { updated_at: null, status: "processing" } });
    const withTimestamp = JSON.stringify({ ...event, timestamp: isoIn(-60_000) });
    await accepted(await postWebhook("dodo", withTimestamp, sign(withTimestamp).headers));
    expect((await paymentRow(paymentId))?.updated_at).toEqual(new Date(JSON.parse(withTimestamp).timestamp));
    const failedLater = JSON.stringify({
      ...(JSON.parse(body) as object),
      type: "payment.failed",
      timestamp: isoIn(0),
      data: { ...(event as { data: object }).data, updated_at: null, status: "failed" },
    });
    await accepted(await postWebhook("dodo", failedLater, sign(failedLater).headers));
    expect((await paymentRow(paymentId))?.status).toBe("failed");
  });
});

describe("attribution: only what the server signed, or a verified email", () => {
  const proCart = [{ product_id: DODO_PRO_PRODUCT, quantity: 1 }];
  const OTHER_SECRET = "another-billing-secret-0123456789-abcdef";
  let victim: SignedInUser;

  beforeAll(async () => {
    victim = await signUpVerified("Victim");
  });

  /** A Pro payment by a payer whose email is nobody's here, with a billing address of its own. */
  function payerPayment(metadata: Record<string, unknown>, customerEmail = `${rid("payer")}@example.test`) {
    const street = rid("street");
    const event = dodoEvent({
      data: {
        metadata,
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(-DAY),
        billing: { city: "Lyon", country: "FR", state: "ARA", street, zipcode: "69001" },
        customer: { customer_id: rid("cus"), email: customerEmail, name: "Payer" },
      },
    });
    return { ...event, street };
  }

  async function exportOf(user: SignedInUser) {
    const response = await call("/api/me/export", { headers: { authorization: `Bearer ${user.bearer}` } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = JSON.parse(text) as { payments: Array<{ id: string; billing: unknown }> };
    return { text, payments: body.payments };
  }

  it("ignores a Dodo metadata user id that is unsigned or wrongly signed: no Pro, no payment, no billing data", async () => {
    const secret = billingMetadataSecretOf(config()) as string;
    const other = await createUser(db);
    const forged: Array<Record<string, unknown>> = [
      { user_id: victim.id },
      { user_id: victim.id, user_sig: "" },
      { user_id: victim.id, user_sig: null },
      { user_id: victim.id, user_sig: 42 },
      { user_id: victim.id, user_sig: "not-a-signature" },
      { user_id: victim.id, user_sig: await signBillingUser(secret, other.id) },
      { user_id: victim.id, user_sig: await signBillingUser(OTHER_SECRET, victim.id) },
      { user_id: victim.id, user_sig: (await signBillingUser(secret, victim.id)).slice(0, -2) },
      { user_id: victim.id, user_sig: `${await signBillingUser(secret, victim.id)}==` },
      { user_id: `${victim.id} `, user_sig: await signBillingUser(secret, victim.id) },
      { user_id: [victim.id], user_sig: await signBillingUser(secret, victim.id) },
    ];
    const streets: string[] = [];
    for (const metadata of forged) {
      const payment = payerPayment(metadata);
      streets.push(payment.street);
      await deliverDodo(payment.body);
      expect((await paymentRow(payment.paymentId))?.user_id, JSON.stringify(metadata)).toBeNull();
      // An older delivery of the same payment goes through the link-if-unlinked path: no link there either.
      const older = restated(payment.body, {
        type: "payment.processing",
        timestamp: isoIn(-2 * DAY),
        data: { status: "processing", updated_at: isoIn(-2 * DAY) },
      });
      await deliverDodo(older);
      expect((await paymentRow(payment.paymentId))?.user_id, JSON.stringify(metadata)).toBeNull();
    }
    expect(await planOf(victim.id)).toEqual({ tier: "free", source: null, until: null });
    const exported = await exportOf(victim);
    expect(exported.payments).toEqual([]);
    for (const street of streets) expect(exported.text).not.toContain(street);
  });

  it("links a payment whose metadata user id carries the server's signature, and exports it to that user", async () => {
    const buyer = await signUpVerified("Buyer");
    const payment = payerPayment(await signedMetadata(buyer.id));
    await deliverDodo(payment.body);
    expect((await paymentRow(payment.paymentId))?.user_id).toBe(buyer.id);
    expect(await planOf(buyer.id)).toMatchObject({ tier: "pro", source: "dodo" });
    const exported = await exportOf(buyer);
    expect(exported.payments.map((row) => row.id)).toEqual([payment.paymentId]);
    expect(exported.payments[0]?.billing).toMatchObject({ street: payment.street });
  });

  it("falls through a forged user id to the payer's own verified email, and to nobody for an unverified one", async () => {
    const payer = await createUser(db);
    const own = payerPayment({ user_id: victim.id }, payer.email);
    await deliverDodo(own.body);
    expect((await paymentRow(own.paymentId))?.user_id).toBe(payer.id);

    const unverified = await createUser(db, { emailVerified: false });
    const none = payerPayment({ user_id: victim.id, user_sig: "forged" }, unverified.email);
    await deliverDodo(none.body);
    expect((await paymentRow(none.paymentId))?.user_id).toBeNull();
    expect((await planOf(unverified.id)).tier).toBe("free");
    expect((await planOf(victim.id)).tier).toBe("free");
  });

  it("prefers a signed metadata user id over the customer's email", async () => {
    const buyer = await createUser(db);
    const emailOwner = await createUser(db);
    const payment = payerPayment(await signedMetadata(buyer.id), emailOwner.email);
    await deliverDodo(payment.body);
    expect((await paymentRow(payment.paymentId))?.user_id).toBe(buyer.id);
  });

  it("verifies with BILLING_METADATA_SECRET when it is set", async () => {
    const buyer = await createUser(db);
    const overrides = { BILLING_METADATA_SECRET: OTHER_SECRET };
    const withAuthSecret = payerPayment(await signedMetadata(buyer.id));
    await accepted(await postWebhookWithEnv("dodo", withAuthSecret.body, sign(withAuthSecret.body).headers, overrides));
    expect((await paymentRow(withAuthSecret.paymentId))?.user_id).toBeNull();

    const withMetadataSecret = payerPayment(await signedMetadata(buyer.id, OTHER_SECRET));
    await accepted(
      await postWebhookWithEnv("dodo", withMetadataSecret.body, sign(withMetadataSecret.body).headers, overrides),
    );
    expect((await paymentRow(withMetadataSecret.paymentId))?.user_id).toBe(buyer.id);
  });

  it("links a Polar subscription by external_id first, then by signed metadata, never by unsigned metadata", async () => {
    const owner = await createUser(db);
    const other = await createUser(db);
    const periodEnd = isoIn(15 * DAY);

    const both = polarEvent({
      externalId: owner.id,
      data: { metadata: await signedMetadata(other.id), current_period_end: periodEnd },
    });
    await accepted(await postWebhook("polar", both.body, sign(both.body).headers));
    expect((await subscriptionRow(both.subscriptionId))?.user_id).toBe(owner.id);
    expect((await planOf(other.id)).tier).toBe("free");

    const signedOnly = polarEvent({
      externalId: null,
      data: { metadata: await signedMetadata(other.id), current_period_end: periodEnd },
    });
    await accepted(await postWebhook("polar", signedOnly.body, sign(signedOnly.body).headers));
    expect((await subscriptionRow(signedOnly.subscriptionId))?.user_id).toBe(other.id);
    expect(await planOf(other.id)).toEqual({ tier: "pro", source: "polar", until: new Date(periodEnd) });

    const unsigned = polarEvent({
      externalId: null,
      data: { metadata: { user_id: victim.id }, current_period_end: periodEnd },
    });
    await accepted(await postWebhook("polar", unsigned.body, sign(unsigned.body).headers));
    const forged = polarEvent({
      externalId: null,
      data: {
        metadata: { user_id: victim.id, user_sig: await signBillingUser(OTHER_SECRET, victim.id) },
        current_period_end: periodEnd,
      },
    });
    await accepted(await postWebhook("polar", forged.body, sign(forged.body).headers));
    expect((await subscriptionRow(unsigned.subscriptionId))?.user_id).toBeNull();
    expect((await subscriptionRow(forged.subscriptionId))?.user_id).toBeNull();
    expect((await planOf(victim.id)).tier).toBe("free");
  });
});

describe("Dodo refunds", () => {
  const proCart = [{ product_id: DODO_PRO_PRODUCT, quantity: 1 }];
  const refundRow = async (id: string) => {
    const [row] = await sql`select * from payment_refund where id = ${id}`;
    return row;
  };

  /** A user made Pro by a Dodo payment of `total_amount` 149900 (the fixture's). */
  async function proBuyer(data: Record<string, unknown> = {}) {
    const user = await createUser(db);
    const payment = dodoEvent({
      data: {
        metadata: await signedMetadata(user.id),
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(-DAY),
        ...data,
      },
    });
    await deliverDodo(payment.body);
    return { user, payment };
  }

  it("ends the Pro a payment gave when it is refunded in full, keeping the payment as it was", async () => {
    const { user, payment } = await proBuyer();
    expect((await planOf(user.id)).tier).toBe("pro");

    const refund = dodoRefundEvent(payment.paymentId);
    await deliverDodo(refund.body);
    expect(await refundRow(refund.refundId)).toMatchObject({
      payment_id: payment.paymentId,
      status: "succeeded",
      is_partial: false,
      amount: 149900,
      currency: "INR",
      reason: "Customer asked",
    });
    expect((await paymentRow(payment.paymentId))?.status).toBe("succeeded");
    expect(await planOf(user.id)).toEqual({ tier: "free", source: null, until: null });
  });

  it("counts a refund delivered before its payment", async () => {
    const user = await createUser(db);
    const payment = dodoEvent({ data: { metadata: await signedMetadata(user.id), product_cart: proCart } });
    const refund = dodoRefundEvent(payment.paymentId);
    await deliverDodo(refund.body);
    await deliverDodo(payment.body);
    expect((await paymentRow(payment.paymentId))?.user_id).toBe(user.id);
    expect((await planOf(user.id)).tier).toBe("free");
  });

  it("keeps Pro through a partial refund and ends it when partial refunds add up to the amount", async () => {
    const { user, payment } = await proBuyer();
    const first = dodoRefundEvent(payment.paymentId, { data: { is_partial: true, amount: 100000 } });
    await deliverDodo(first.body);
    expect((await planOf(user.id)).tier).toBe("pro");

    const second = dodoRefundEvent(payment.paymentId, { data: { is_partial: true, amount: 49900 } });
    await deliverDodo(second.body);
    expect((await planOf(user.id)).tier).toBe("free");
  });

  it("keeps Pro while a refund is pending or when it failed, and never lets an older state win", async () => {
    const { user, payment } = await proBuyer();
    const pending = dodoRefundEvent(payment.paymentId, {
      type: "refund.pending",
      timestamp: isoIn(-60_000),
      data: { status: "pending" },
    });
    await deliverDodo(pending.body);
    expect((await planOf(user.id)).tier).toBe("pro");

    const failed = restated(pending.body, {
      type: "refund.failed",
      timestamp: isoIn(-30_000),
      data: { status: "failed" },
    });
    await deliverDodo(failed);
    expect(await refundRow(pending.refundId)).toMatchObject({ status: "failed" });
    expect((await planOf(user.id)).tier).toBe("pro");

    // The pending state delivered again later (a new delivery id, the old timestamp) changes nothing.
    await deliverDodo(pending.body);
    expect(await refundRow(pending.refundId)).toMatchObject({ status: "failed" });

    const other = dodoRefundEvent(payment.paymentId, { timestamp: isoIn(0) });
    await deliverDodo(other.body);
    const olderPending = restated(other.body, {
      type: "refund.pending",
      timestamp: isoIn(-10_000),
      data: { status: "pending" },
    });
    await deliverDodo(olderPending);
    expect(await refundRow(other.refundId)).toMatchObject({ status: "succeeded" });
    expect((await planOf(user.id)).tier).toBe("free");
  });

  it("records the refunds a payment event lists, ignoring malformed ones and other payments'", async () => {
    const user = await createUser(db);
    const paymentId = rid("pay");
    const listed = (refundId: string, fields: Record<string, unknown>) => ({
      refund_id: refundId,
      payment_id: paymentId,
      business_id: "bus_6hTq2WnR8yLm3KpX",
      created_at: isoIn(-1000),
      status: "succeeded",
      is_partial: true,
      amount: 1000,
      currency: "INR",
      reason: null,
      ...fields,
    });
    const partial = rid("ref");
    const malformed = rid("ref");
    const foreign = rid("ref");
    const { body } = dodoEvent({
      data: {
        payment_id: paymentId,
        metadata: await signedMetadata(user.id),
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(-DAY),
        refunds: [
          listed(partial, {}),
          listed(malformed, { is_partial: "no" }),
          listed(foreign, { payment_id: rid("pay"), is_partial: false }),
          "not a refund",
        ],
      },
    });
    await deliverDodo(body);
    expect(await refundRow(partial)).toMatchObject({ payment_id: paymentId, status: "succeeded", amount: 1000 });
    expect(await refundRow(malformed)).toBeUndefined();
    expect(await refundRow(foreign)).toBeUndefined();
    expect((await planOf(user.id)).tier).toBe("pro");

    const whole = rid("ref");
    const later = dodoEvent({
      data: {
        payment_id: paymentId,
        metadata: await signedMetadata(user.id),
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(0),
        refunds: [listed(partial, {}), listed(whole, { is_partial: false, amount: null })],
      },
    });
    await deliverDodo(later.body);
    expect(await refundRow(whole)).toMatchObject({ is_partial: false, amount: null });
    expect((await planOf(user.id)).tier).toBe("free");
  });

  it("records and acknowledges a signed refund event it cannot read, and applies nothing", async () => {
    const { user, payment } = await proBuyer();
    const refund = dodoRefundEvent(payment.paymentId, { data: { refund_id: undefined, is_partial: "yes" } });
    const { headers, msgId } = sign(refund.body);
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    await accepted(await postWebhook("dodo", refund.body, headers)).finally(() => warnings.mockRestore());
    expect(await counts(sql, { msgId })).toMatchObject({ events: 1 });
    const [row] = await sql<{ refunds: number }[]>`
      select count(*)::int as refunds from payment_refund where payment_id = ${payment.paymentId}`;
    expect(row?.refunds).toBe(0);
    expect((await planOf(user.id)).tier).toBe("pro");
  });
});

describe("Dodo disputes", () => {
  const proCart = [{ product_id: DODO_PRO_PRODUCT, quantity: 1 }];
  const disputeRow = async (id: string) => {
    const [row] = await sql`select * from payment_dispute where id = ${id}`;
    return row;
  };
  const at = (body: string, type: string, status: string, timestamp: string) =>
    restated(body, { type, timestamp, data: { dispute_status: status } });

  async function proBuyer() {
    const user = await createUser(db);
    const payment = dodoEvent({
      data: {
        metadata: await signedMetadata(user.id),
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(-DAY),
      },
    });
    await deliverDodo(payment.body);
    return { user, payment };
  }

  it("keeps Pro while a dispute is open or won, and ends it once a dispute is lost", async () => {
    const { user, payment } = await proBuyer();
    const opened = dodoDisputeEvent(payment.paymentId, { timestamp: isoIn(-60_000) });
    await deliverDodo(opened.body);
    expect(await disputeRow(opened.disputeId)).toMatchObject({
      payment_id: payment.paymentId,
      status: "dispute_opened",
      stage: "dispute",
      amount: "1499.00",
      currency: "INR",
    });
    expect((await planOf(user.id)).tier).toBe("pro");

    await deliverDodo(at(opened.body, "dispute.challenged", "dispute_challenged", isoIn(-50_000)));
    await deliverDodo(at(opened.body, "dispute.won", "dispute_won", isoIn(-40_000)));
    expect(await disputeRow(opened.disputeId)).toMatchObject({ status: "dispute_won" });
    expect((await planOf(user.id)).tier).toBe("pro");

    // An older state delivered late changes nothing.
    await deliverDodo(at(opened.body, "dispute.challenged", "dispute_challenged", isoIn(-45_000)));
    expect(await disputeRow(opened.disputeId)).toMatchObject({ status: "dispute_won" });

    const second = dodoDisputeEvent(payment.paymentId, { timestamp: isoIn(-30_000) });
    await deliverDodo(second.body);
    await deliverDodo(at(second.body, "dispute.lost", "dispute_lost", isoIn(-20_000)));
    expect(await planOf(user.id)).toEqual({ tier: "free", source: null, until: null });
  });

  it("ends Pro for a dispute accepted without a contest, also when it is only listed by a payment event", async () => {
    const { user, payment } = await proBuyer();
    const accepted = dodoDisputeEvent(payment.paymentId, {
      type: "dispute.accepted",
      data: { dispute_status: "dispute_accepted", amount: 1499 },
    });
    await deliverDodo(accepted.body);
    expect(await disputeRow(accepted.disputeId)).toMatchObject({ status: "dispute_accepted", amount: "1499" });
    expect((await planOf(user.id)).tier).toBe("free");

    const other = await createUser(db);
    const paymentId = rid("pay");
    const lost = rid("dsp");
    const listed = dodoEvent({
      data: {
        payment_id: paymentId,
        metadata: await signedMetadata(other.id),
        product_cart: proCart,
        created_at: isoIn(-DAY),
        updated_at: isoIn(0),
        disputes: [
          {
            dispute_id: lost,
            payment_id: paymentId,
            business_id: "bus_6hTq2WnR8yLm3KpX",
            created_at: isoIn(-1000),
            dispute_status: "dispute_lost",
            dispute_stage: "pre_arbitration",
            amount: "1499.00",
            currency: "INR",
          },
          { dispute_id: rid("dsp"), payment_id: paymentId },
        ],
      },
    });
    await deliverDodo(listed.body);
    expect(await disputeRow(lost)).toMatchObject({ payment_id: paymentId, status: "dispute_lost" });
    expect(await sql`select id from payment_dispute where payment_id = ${paymentId}`).toHaveLength(1);
    expect((await planOf(other.id)).tier).toBe("free");
  });

  it("records and acknowledges a signed dispute event it cannot read, and applies nothing", async () => {
    const { user, payment } = await proBuyer();
    const broken = dodoDisputeEvent(payment.paymentId, {
      type: "dispute.lost",
      data: { dispute_status: "dispute_lost", created_at: "yesterday" },
    });
    const { headers, msgId } = sign(broken.body);
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    await accepted(await postWebhook("dodo", broken.body, headers)).finally(() => warnings.mockRestore());
    expect(await counts(sql, { msgId })).toMatchObject({ events: 1 });
    expect(await disputeRow(broken.disputeId)).toBeUndefined();
    expect((await planOf(user.id)).tier).toBe("pro");
  });
});

describe("webhook documentation", () => {
  it("documents both webhook paths in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths["/api/webhooks/polar"]).toHaveProperty("post");
    expect(doc.paths["/api/webhooks/dodo"]).toHaveProperty("post");
    expect(doc.paths["/api/billing"]).toHaveProperty("get");
  });
});
