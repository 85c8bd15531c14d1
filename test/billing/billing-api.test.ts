import { describe, expect, it } from "vitest";
import { billingSchema } from "../../src/routes/billing/billing.routes";
import { getPlan } from "../../src/services/billing/get-plan";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createProSubscription, createUser } from "../support/factories";
import { call, expectEnvelope } from "../support/http";
import { config, DAY, DODO_PRO_PRODUCT, POLAR_PRO_PRODUCT, rid } from "./helpers";

const { sql, db, handle } = useTestDatabase();

async function insertSubscription(
  userId: string | null,
  fields: { status?: string; end?: Date | null; product?: string } = {},
) {
  const now = new Date();
  const row = await createProSubscription(db, userId, {
    id: crypto.randomUUID(),
    createdAt: now,
    modifiedAt: now,
    amount: 1500,
    status: fields.status ?? "active",
    currentPeriodStart: now,
    currentPeriodEnd: fields.end === undefined ? new Date(now.getTime() + 30 * DAY) : fields.end,
    customerId: rid("cus"),
    productId: fields.product ?? POLAR_PRO_PRODUCT,
    metadata: '{"secret":"internal"}',
  });
  return row.id;
}

async function insertPayment(userId: string | null, fields: { status?: string; createdAt?: Date } = {}) {
  const id = rid("pay");
  const createdAt = fields.createdAt ?? new Date();
  await sql`insert into payment (id, user_id, created_at, updated_at, currency, total_amount, tax, status,
      card_last_four, card_network, card_type, card_issuing_country, payment_method, billing, customer, product_cart, metadata)
    values (${id}, ${userId}, ${createdAt}, ${createdAt}, 'USD', 999, 99, ${fields.status ?? "succeeded"},
      '4242', 'VISA', 'CREDIT', 'DE', 'card', ${sql.json({ street: "1 Secret Lane" })},
      ${sql.json({ email: "someone@example.test", phone_number: "+4912345" })},
      ${sql.json([{ product_id: DODO_PRO_PRODUCT, quantity: 1 }])}, ${sql.json({ user_id: userId })})`;
  return id;
}

describe("GET /api/billing", () => {
  it("returns only the caller's subscriptions and payments, without customer or address data", async () => {
    const me = await signUpVerified();
    const someoneElse = await createUser(db);
    const mySub = await insertSubscription(me.id);
    const myOldPayment = await insertPayment(me.id, { createdAt: new Date(Date.now() - 5 * DAY) });
    const myPayment = await insertPayment(me.id);
    await insertSubscription(someoneElse.id);
    await insertPayment(someoneElse.id);
    await insertPayment(null);

    for (const auth of [me.headers, { authorization: `Bearer ${me.bearer}` }]) {
      const response = await call("/api/billing", { headers: auth });
      expect(response.status).toBe(200);
      const raw = await response.text();
      const body = billingSchema.parse(JSON.parse(raw));
      expect(body.subscriptions.map((s) => s.id)).toEqual([mySub]);
      expect(body.payments.map((p) => p.id)).toEqual([myPayment, myOldPayment]);
      expect(body.payments[0]).toMatchObject({
        status: "succeeded",
        totalAmount: 999,
        currency: "USD",
        cardLastFour: "4242",
        cardNetwork: "VISA",
        cardType: "CREDIT",
        products: [{ productId: DODO_PRO_PRODUCT, quantity: 1 }],
      });
      expect(body.subscriptions[0]).toMatchObject({ status: "active", productId: POLAR_PRO_PRODUCT, amount: 1500 });
      for (const leaked of [
        "Secret Lane",
        "someone@example.test",
        "+4912345",
        "internal",
        "card_issuing_country",
        'DE"',
      ]) {
        expect(raw).not.toContain(leaked);
      }
    }
  });

  it("lists each payment's refunds, oldest first, and /api/me stops counting a payment refunded in full", async () => {
    const me = await signUpVerified();
    const paymentId = await insertPayment(me.id);
    const plan = async () =>
      ((await (await call("/api/me", { headers: me.headers })).json()) as { plan: { tier: string } }).plan.tier;
    expect(await plan()).toBe("pro");
    const refund = async (status: string, isPartial: boolean, amount: number | null, createdAt: Date) => {
      const id = rid("ref");
      await sql`insert into payment_refund (id, payment_id, status, is_partial, amount, currency, created_at, updated_at)
        values (${id}, ${paymentId}, ${status}, ${isPartial}, ${amount}, 'USD', ${createdAt}, ${createdAt})`;
      return id;
    };
    const failed = await refund("failed", false, null, new Date(Date.now() - 2000));
    const partial = await refund("succeeded", true, 400, new Date(Date.now() - 1000));
    expect(await plan()).toBe("pro");

    const body = billingSchema.parse(await (await call("/api/billing", { headers: me.headers })).json());
    expect(body.payments[0]?.refunds).toEqual([
      { id: failed, status: "failed", amount: null, currency: "USD", isPartial: false, createdAt: expect.any(String) },
      {
        id: partial,
        status: "succeeded",
        amount: 400,
        currency: "USD",
        isPartial: true,
        createdAt: expect.any(String),
      },
    ]);

    await refund("succeeded", true, 599, new Date());
    expect(await plan()).toBe("free");
  });

  it("lists each payment's disputes, and /api/me stops counting a payment whose dispute was lost", async () => {
    const me = await signUpVerified();
    const paymentId = await insertPayment(me.id);
    const plan = async () =>
      ((await (await call("/api/me", { headers: me.headers })).json()) as { plan: { tier: string } }).plan.tier;
    const id = rid("dsp");
    const createdAt = new Date(Date.now() - 1000);
    await sql`insert into payment_dispute (id, payment_id, status, stage, amount, currency, created_at, updated_at)
      values (${id}, ${paymentId}, 'dispute_opened', 'dispute', '9.99', 'USD', ${createdAt}, ${createdAt})`;
    expect(await plan()).toBe("pro");
    const body = billingSchema.parse(await (await call("/api/billing", { headers: me.headers })).json());
    expect(body.payments[0]?.disputes).toEqual([
      {
        id,
        status: "dispute_opened",
        stage: "dispute",
        amount: "9.99",
        currency: "USD",
        createdAt: createdAt.toISOString(),
      },
    ]);
    expect(body.payments[0]?.refunds).toEqual([]);
    await sql`update payment_dispute set status = 'dispute_lost' where id = ${id}`;
    expect(await plan()).toBe("free");
  });

  it("answers an empty list to a user without billing records", async () => {
    const me = await signUpVerified();
    const response = await call("/api/billing", { headers: me.headers });
    expect(billingSchema.parse(await response.json())).toEqual({ subscriptions: [], payments: [] });
  });

  it("refuses anonymous callers with 401", async () => {
    await expectEnvelope(await call("/api/billing"), 401, "UNAUTHORIZED");
    await expectEnvelope(
      await call("/api/billing", { headers: { authorization: "Bearer nope" } }),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("getPlan from stored rows", () => {
  const planOf = (userId: string, now?: Date) =>
    getPlan({ ctx: { db: handle.db, config: config(), now }, input: { userId } });

  it("is Pro through a live Polar subscription until its period ends", async () => {
    const user = await createUser(db);
    const end = new Date(Date.now() + 3 * DAY);
    await insertSubscription(user.id, { end });
    await insertSubscription(user.id, { status: "canceled", end: new Date(Date.now() + 90 * DAY) });
    expect(await planOf(user.id)).toEqual({ tier: "pro", source: "polar", until: end });
    expect(await planOf(user.id, new Date(end.getTime() + 1))).toEqual({ tier: "free", source: null, until: null });
  });

  it("is Pro for DODO_PRO_DAYS after a succeeded payment, never through a failed one or someone else's", async () => {
    const user = await createUser(db);
    const other = await createUser(db);
    const paidAt = new Date(Date.now() - 10 * DAY);
    await insertPayment(user.id, { status: "failed" });
    expect((await planOf(user.id)).tier).toBe("free");
    await insertPayment(user.id, { createdAt: paidAt });
    await insertPayment(other.id, { createdAt: new Date() });
    const until = new Date(paidAt.getTime() + config().DODO_PRO_DAYS * DAY);
    expect(await planOf(user.id)).toEqual({ tier: "pro", source: "dodo", until });
    expect(await planOf(user.id, new Date(until.getTime() + 1))).toEqual({ tier: "free", source: null, until: null });
  });

  it("ignores products that are not configured as Pro", async () => {
    const user = await createUser(db);
    await insertSubscription(user.id, { product: "prod_basic" });
    expect((await planOf(user.id)).tier).toBe("free");
  });
});
