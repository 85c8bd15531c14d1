import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { checkoutSchema, customerPortalSchema } from "../../src/routes/billing/billing.routes";
import { verifyBillingUser } from "../../src/services/billing/billing-user-signature";
import { type FakeCall, fakeFetch, json } from "../ai/fake-fetch";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createProSubscription } from "../support/factories";
import { BASE, call, expectEnvelope } from "../support/http";
import { DAY, DODO_PRO_PRODUCT, POLAR_PRO_PRODUCT, rid } from "./helpers";

const { sql, db } = useTestDatabase();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const POLAR_TOKEN = "polar_oat_checkout_test_9f8e7d6c5b4a";
const DODO_KEY = "dodo_key_checkout_test_3a2b1c0d9e8f";
const POLAR_HOST = "polar.fake.test";
const DODO_HOST = "dodo.fake.test";
const APP = "http://localhost:8787";

/** Both providers on, pointed at fake hosts; the rest of the test configuration as vitest.config.ts sets it. */
const billingEnv: Record<string, string | undefined> = {
  POLAR_ACCESS_TOKEN: POLAR_TOKEN,
  POLAR_API_VERSION: "2025-06",
  POLAR_API_BASE_URL: `https://${POLAR_HOST}`,
  DODO_PAYMENTS_API_KEY: DODO_KEY,
  DODO_PAYMENTS_API_BASE_URL: `https://${DODO_HOST}/`,
};

/** Through the Hono app with the environment changed (configuration is parsed per env object). */
async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  overrides: Record<string, string | undefined> = billingEnv,
) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(new URL(path, BASE), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
    { ...env, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, { status: response.status, headers: response.headers });
}

/**
 * Replaces the platform `fetch` at the HTTP boundary: every outbound request is recorded and answered
 * by `answer`; none reaches the network.
 */
function provider(answer: (call: FakeCall) => Response | Promise<Response>) {
  const fake = fakeFetch(answer);
  vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  return fake.calls;
}

/** Every line the Worker logged during the test, as written. */
function captureLogs() {
  const lines: string[] = [];
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
  return lines;
}

const polarCheckout = (overrides: Record<string, unknown> = {}) => ({
  id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  url: "https://sandbox.polar.sh/checkout/polar_c_4kZ9pQ",
  status: "open",
  expires_at: "2030-01-01T01:00:00.123456Z",
  client_secret: "polar_c_secret_should_not_leak",
  ...overrides,
});

const dodoCheckout = {
  session_id: "cks_8Hn2Lq5Rt7Vx",
  checkout_url: "https://test.checkout.dodopayments.com/cks_8Hn2Lq5Rt7Vx",
};

async function insertSubscription(userId: string, fields: { status?: string; customerId?: string } = {}) {
  const now = new Date();
  const row = await createProSubscription(db, userId, {
    id: crypto.randomUUID(),
    createdAt: now,
    modifiedAt: now,
    amount: 1500,
    status: fields.status ?? "active",
    currentPeriodStart: now,
    currentPeriodEnd: new Date(now.getTime() + 30 * DAY),
    customerId: fields.customerId ?? crypto.randomUUID(),
    productId: POLAR_PRO_PRODUCT,
  });
  return { id: row.id, customerId: row.customerId };
}

async function insertPayment(userId: string, fields: { status?: string; createdAt?: Date; customerId?: string } = {}) {
  const id = rid("pay");
  const createdAt = fields.createdAt ?? new Date();
  const customer = fields.customerId
    ? { customer_id: fields.customerId, email: "x@example.test" }
    : { email: "x@example.test" };
  await sql`insert into payment (id, user_id, created_at, updated_at, currency, total_amount, status, customer, product_cart)
    values (${id}, ${userId}, ${createdAt}, ${createdAt}, 'USD', 999, ${fields.status ?? "succeeded"},
      ${sql.json(customer)}, ${sql.json([{ product_id: DODO_PRO_PRODUCT, quantity: 1 }])})`;
  return id;
}

function bodyOf(call: FakeCall | undefined): Record<string, unknown> {
  if (!call?.body) throw new Error("the provider got no body");
  return JSON.parse(call.body) as Record<string, unknown>;
}

let shared: SignedInUser | undefined;
/** A verified, signed-in user with no billing records, for tests that never store any. */
async function freeUser(): Promise<SignedInUser> {
  shared ??= await signUpVerified("Ada Lovelace");
  return shared;
}

describe("POST /api/billing/checkout with Polar", () => {
  it("creates the checkout with the exact request Polar expects and answers 201", async () => {
    const me = await freeUser();
    const calls = provider(() => json(polarCheckout(), { status: 201 }));

    const response = await post("/api/billing/checkout", { provider: "polar" }, me.headers);
    expect(response.status).toBe(201);
    const raw = await response.text();
    expect(checkoutSchema.strict().parse(JSON.parse(raw))).toEqual({
      id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
      provider: "polar",
      url: "https://sandbox.polar.sh/checkout/polar_c_4kZ9pQ",
      expiresAt: "2030-01-01T01:00:00.123Z",
    });
    expect(raw).not.toContain("polar_c_secret_should_not_leak");

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.method).toBe("POST");
    expect(call?.url.href).toBe(`https://${POLAR_HOST}/v1/checkouts/`);
    expect(call?.headers.get("authorization")).toBe(`Bearer ${POLAR_TOKEN}`);
    expect(call?.headers.get("polar-version")).toBe("2025-06");
    expect(call?.headers.get("content-type")).toBe("application/json");
    expect(call?.headers.get("accept")).toBe("application/json");
    const body = bodyOf(call);
    expect(body).toEqual({
      products: [POLAR_PRO_PRODUCT],
      external_customer_id: me.id,
      customer_email: me.email,
      success_url: `${APP}/settings?checkout=success&checkout_id={CHECKOUT_ID}`,
      return_url: `${APP}/settings`,
      metadata: { user_id: me.id, user_sig: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    });
    const signature = (body.metadata as { user_sig: string }).user_sig;
    expect(await verifyBillingUser(env.BETTER_AUTH_SECRET as string, me.id, signature)).toBe(true);
    expect(await verifyBillingUser(env.BETTER_AUTH_SECRET as string, `${me.id}x`, signature)).toBe(false);
    expect(await verifyBillingUser("another-secret-of-at-least-32-characters", me.id, signature)).toBe(false);
  });

  it("never takes a return URL from the client", async () => {
    const me = await freeUser();
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    const response = await post(
      "/api/billing/checkout",
      { provider: "polar", success_url: "https://evil.example/", return_url: "https://evil.example/" },
      { ...me.headers, host: "evil.example" },
    );
    expect(response.status).toBe(201);
    const body = bodyOf(calls[0]);
    expect(body.success_url).toBe(`${APP}/settings?checkout=success&checkout_id={CHECKOUT_ID}`);
    expect(body.return_url).toBe(`${APP}/settings`);
  });

  it("works with a bearer token, and without Polar-Version when none is configured", async () => {
    const me = await freeUser();
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    const response = await post(
      "/api/billing/checkout",
      { provider: "polar" },
      { authorization: `Bearer ${me.bearer}` },
      { ...billingEnv, POLAR_API_VERSION: undefined },
    );
    expect(response.status).toBe(201);
    expect(calls[0]?.headers.has("polar-version")).toBe(false);
  });

  it("uses Polar's own base URL for the configured server when no override is set", async () => {
    const me = await freeUser();
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    for (const [server, expected] of [
      ["sandbox", "https://sandbox-api.polar.sh/v1/checkouts/"],
      [undefined, "https://api.polar.sh/v1/checkouts/"],
    ] as const) {
      const response = await post("/api/billing/checkout", { provider: "polar" }, me.headers, {
        ...billingEnv,
        POLAR_API_BASE_URL: undefined,
        POLAR_SERVER: server,
      });
      expect(response.status).toBe(201);
      expect(calls.at(-1)?.url.href).toBe(expected);
    }
  });

  it("signs the metadata with BILLING_METADATA_SECRET when it is set", async () => {
    const me = await freeUser();
    const secret = "billing-metadata-secret-0123456789-abcdef";
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    const response = await post("/api/billing/checkout", { provider: "polar" }, me.headers, {
      ...billingEnv,
      BILLING_METADATA_SECRET: secret,
    });
    expect(response.status).toBe(201);
    const signature = (bodyOf(calls[0]).metadata as { user_sig: string }).user_sig;
    expect(await verifyBillingUser(secret, me.id, signature)).toBe(true);
    expect(await verifyBillingUser(env.BETTER_AUTH_SECRET as string, me.id, signature)).toBe(false);
  });

  it("answers 409 pointing to the portal when the user is already Pro through Polar", async () => {
    const me = await signUpVerified();
    await insertSubscription(me.id);
    const calls = provider(() => json(polarCheckout(), { status: 201 }));

    const refused = await expectEnvelope(
      await post("/api/billing/checkout", { provider: "polar" }, me.headers),
      409,
      "CONFLICT",
    );
    expect(refused.error.message).toContain("Manage subscription");
    expect(refused.error.details).toMatchObject({ provider: "polar", portal: "/api/billing/portal" });
    expect(calls).toHaveLength(0);

    // Pro through Polar does not stop a Dodo Payments checkout.
    provider(() => json(dodoCheckout));
    expect((await post("/api/billing/checkout", { provider: "dodo" }, me.headers)).status).toBe(201);
  });

  it("lets a user whose Polar subscription has ended check out again", async () => {
    const me = await signUpVerified();
    await insertSubscription(me.id, { status: "canceled" });
    provider(() => json(polarCheckout(), { status: 201 }));
    expect((await post("/api/billing/checkout", { provider: "polar" }, me.headers)).status).toBe(201);
  });
});

describe("POST /api/billing/checkout with Dodo Payments", () => {
  it("creates the checkout session with the exact request Dodo expects and answers 201", async () => {
    const me = await freeUser();
    const calls = provider(() => json(dodoCheckout));
    const before = Date.now();

    const response = await post("/api/billing/checkout", { provider: "dodo" }, me.headers);
    expect(response.status).toBe(201);
    const body = checkoutSchema.strict().parse(await response.json());
    expect(body).toMatchObject({ id: dodoCheckout.session_id, provider: "dodo", url: dodoCheckout.checkout_url });
    const expires = Date.parse(body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + DAY - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + DAY + 1000);

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.method).toBe("POST");
    expect(call?.url.href).toBe(`https://${DODO_HOST}/checkouts`);
    expect(call?.headers.get("authorization")).toBe(`Bearer ${DODO_KEY}`);
    expect(call?.headers.get("content-type")).toBe("application/json");
    expect(call?.headers.has("polar-version")).toBe(false);
    const sent = bodyOf(call);
    expect(sent).toEqual({
      product_cart: [{ product_id: DODO_PRO_PRODUCT, quantity: 1 }],
      customer: { email: me.email, name: "Ada Lovelace" },
      metadata: { user_id: me.id, user_sig: expect.any(String) },
      return_url: `${APP}/settings?checkout=dodo`,
    });
    const signature = (sent.metadata as { user_sig: string }).user_sig;
    expect(await verifyBillingUser(env.BETTER_AUTH_SECRET as string, me.id, signature)).toBe(true);
  });

  it("uses Dodo's own base URL for the configured environment when no override is set", async () => {
    const me = await freeUser();
    const calls = provider(() => json(dodoCheckout));
    for (const [environment, expected] of [
      ["test_mode", "https://test.dodopayments.com/checkouts"],
      [undefined, "https://live.dodopayments.com/checkouts"],
    ] as const) {
      const response = await post("/api/billing/checkout", { provider: "dodo" }, me.headers, {
        ...billingEnv,
        DODO_PAYMENTS_API_BASE_URL: undefined,
        DODO_PAYMENTS_ENVIRONMENT: environment,
      });
      expect(response.status).toBe(201);
      expect(calls.at(-1)?.url.href).toBe(expected);
    }
  });

  it("answers 409 when the user is already Pro through a recent Dodo payment, not for an old one", async () => {
    const me = await signUpVerified();
    await insertPayment(me.id, { createdAt: new Date(Date.now() - 40 * DAY) });
    provider(() => json(dodoCheckout));
    expect((await post("/api/billing/checkout", { provider: "dodo" }, me.headers)).status).toBe(201);

    await insertPayment(me.id);
    const calls = provider(() => json(dodoCheckout));
    const refused = await expectEnvelope(
      await post("/api/billing/checkout", { provider: "dodo" }, me.headers),
      409,
      "CONFLICT",
    );
    expect(refused.error.message).toContain("Manage subscription");
    expect(calls).toHaveLength(0);
  });
});

describe("POST /api/billing/checkout refusals", () => {
  it("answers 401 without a session, before any provider call", async () => {
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    await expectEnvelope(await post("/api/billing/checkout", { provider: "polar" }), 401, "UNAUTHORIZED");
    await expectEnvelope(await post("/api/billing/portal", { provider: "dodo" }), 401, "UNAUTHORIZED");
    await expectEnvelope(
      await post("/api/billing/checkout", { provider: "polar" }, { authorization: "Bearer not-a-token" }),
      401,
      "UNAUTHORIZED",
    );
    expect(calls).toHaveLength(0);
  });

  it("answers 400 for an unknown provider or a missing body", async () => {
    const me = await freeUser();
    const calls = provider(() => json({}));
    await expectEnvelope(
      await post("/api/billing/checkout", { provider: "stripe" }, me.headers),
      400,
      "VALIDATION_ERROR",
    );
    await expectEnvelope(await post("/api/billing/portal", {}, me.headers), 400, "VALIDATION_ERROR");
    expect(calls).toHaveLength(0);
  });

  it("answers a 400 naming the provider when it is not configured, never a 500", async () => {
    const me = await freeUser();
    const calls = provider(() => json({}));
    const logs = captureLogs();
    // The test configuration has Pro products but no API credentials.
    for (const [input, message] of [
      ["polar", "Polar checkout is not configured"],
      ["dodo", "Dodo Payments checkout is not configured"],
    ] as const) {
      const refused = await expectEnvelope(
        await post("/api/billing/checkout", { provider: input }, me.headers, {}),
        400,
        "BAD_REQUEST",
      );
      expect(refused.error.message).toBe(message);
    }
    // A credential without a Pro product to sell is not configured either.
    const noProduct = await expectEnvelope(
      await post("/api/billing/checkout", { provider: "polar" }, me.headers, {
        ...billingEnv,
        POLAR_PRO_PRODUCT_IDS: "",
      }),
      400,
      "BAD_REQUEST",
    );
    expect(noProduct.error.message).toBe("Polar checkout is not configured");
    const noPortal = await expectEnvelope(
      await post("/api/billing/portal", { provider: "dodo" }, me.headers, {}),
      400,
      "BAD_REQUEST",
    );
    expect(noPortal.error.message).toBe("Dodo Payments customer portal is not configured");
    expect(calls).toHaveLength(0);
    // Only the credential without a product is worth a warning; a provider that is off is not.
    expect(logs.filter((line) => line.includes('"billing.checkout.unconfigured"'))).toHaveLength(1);
    expect(logs.join("\n")).not.toContain(POLAR_TOKEN);
  });

  it("answers 403 to a user whose email is not verified where verification is required", async () => {
    const me = await signUpVerified();
    await sql`update "user" set email_verified = false where id = ${me.id}`;
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    await expectEnvelope(await post("/api/billing/checkout", { provider: "polar" }, me.headers), 403, "FORBIDDEN");
    expect(calls).toHaveLength(0);

    const relaxed = await post("/api/billing/checkout", { provider: "polar" }, me.headers, {
      ...billingEnv,
      REQUIRE_EMAIL_VERIFICATION: "false",
    });
    expect(relaxed.status).toBe(201);
  });

  it("refuses a cookie-authenticated request from another origin", async () => {
    const me = await freeUser();
    const calls = provider(() => json(polarCheckout(), { status: 201 }));
    await expectEnvelope(
      await post("/api/billing/checkout", { provider: "polar" }, { ...me.headers, origin: "https://evil.example" }),
      403,
      "FORBIDDEN",
    );
    expect(calls).toHaveLength(0);
  });
});

describe("provider failures", () => {
  const failures: Array<[string, () => Response | Promise<Response>]> = [
    ["a 422", () => json({ error: "PolarRequestValidationError", detail: [{ msg: "email" }] }, { status: 422 })],
    ["a 401", () => json({ error: "invalid_token", error_description: "bad token" }, { status: 401 })],
    ["a 500", () => new Response("upstream exploded", { status: 500 })],
    ["a body that is not JSON", () => new Response("<html>gateway</html>", { status: 201 })],
    ["JSON without the fields used", () => json({ id: "only-an-id" }, { status: 201 })],
    ["a checkout URL that is not https", () => json(polarCheckout({ url: "javascript:alert(1)" }), { status: 201 })],
    ["a network failure", () => Promise.reject(new TypeError("connection reset"))],
  ];

  for (const [what, answer] of failures) {
    it(`answers 502 with a generic message for ${what}, logging the cause with the request id`, async () => {
      const me = await freeUser();
      provider(answer);
      const logs = captureLogs();
      const response = await post("/api/billing/checkout", { provider: "polar" }, me.headers);
      const raw = await response.clone().text();
      const envelope = await expectEnvelope(response, 502, "BAD_GATEWAY");
      expect(envelope.error.message).toBe("The payment provider did not answer as expected. Try again in a moment.");
      for (const secret of [POLAR_TOKEN, DODO_KEY, "upstream exploded", "gateway", "polar.fake.test"]) {
        expect(raw).not.toContain(secret);
      }
      const failure = logs.find((line) => line.includes('"billing.provider.failed"'));
      expect(failure).toBeDefined();
      expect(failure).toContain(`"requestId":"${envelope.error.requestId}"`);
      expect(failure).toContain('"provider":"polar"');
      for (const line of logs) {
        expect(line).not.toContain(POLAR_TOKEN);
        expect(line).not.toContain(me.email);
      }
    });
  }

  it("answers 502 when Dodo fails, for checkout and portal alike", async () => {
    const me = await signUpVerified();
    await insertPayment(me.id, { createdAt: new Date(Date.now() - 40 * DAY), customerId: rid("cus") });
    provider(() => json({ code: "INTERNAL_SERVER_ERROR", message: "oops" }, { status: 500 }));
    const logs = captureLogs();
    for (const path of ["/api/billing/checkout", "/api/billing/portal"]) {
      const response = await post(path, { provider: "dodo" }, me.headers);
      const raw = await response.clone().text();
      await expectEnvelope(response, 502, "BAD_GATEWAY");
      expect(raw).not.toContain(DODO_KEY);
    }
    expect(logs.filter((line) => line.includes('"billing.provider.failed"'))).toHaveLength(2);
    expect(logs.join("\n")).toContain('"providerCode":"INTERNAL_SERVER_ERROR"');
    expect(logs.join("\n")).not.toContain(DODO_KEY);
  });

  it("answers 502 when the provider does not answer in time", async () => {
    const me = await freeUser();
    const calls = provider(() => new Promise<Response>(() => undefined));
    const logs = captureLogs();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = post("/api/billing/checkout", { provider: "polar" }, me.headers);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(10_001);
    const response = await pending;
    vi.useRealTimers();
    await expectEnvelope(response, 502, "BAD_GATEWAY");
    expect(logs.find((line) => line.includes('"billing.provider.failed"'))).toContain('"reason":"TIMEOUT"');
  });
});

describe("POST /api/billing/portal", () => {
  it("opens a Polar customer session for the stored customer id", async () => {
    const me = await signUpVerified();
    const { customerId } = await insertSubscription(me.id, { status: "canceled" });
    const calls = provider(() =>
      json(
        {
          id: "cs_1",
          token: "polar_cst_secret_token",
          customer_portal_url: "https://sandbox.polar.sh/mylo/portal?customer_session_token=polar_cst_x",
          expires_at: "2030-01-01T00:00:00Z",
        },
        { status: 201 },
      ),
    );

    const response = await post("/api/billing/portal", { provider: "polar" }, me.headers);
    expect(response.status).toBe(200);
    const raw = await response.text();
    expect(customerPortalSchema.strict().parse(JSON.parse(raw))).toEqual({
      url: "https://sandbox.polar.sh/mylo/portal?customer_session_token=polar_cst_x",
    });
    expect(raw).not.toContain("polar_cst_secret_token");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe("POST");
    expect(calls[0]?.url.href).toBe(`https://${POLAR_HOST}/v1/customer-sessions/`);
    expect(calls[0]?.headers.get("authorization")).toBe(`Bearer ${POLAR_TOKEN}`);
    expect(calls[0]?.headers.get("polar-version")).toBe("2025-06");
    expect(bodyOf(calls[0])).toEqual({ customer_id: customerId, return_url: `${APP}/settings` });
  });

  it("opens a Dodo customer portal session for the stored customer id", async () => {
    const me = await signUpVerified();
    const customerId = rid("cus");
    await insertPayment(me.id, { customerId, createdAt: new Date(Date.now() - 2 * DAY) });
    // A newer payment stored without a customer id does not hide the one that has it.
    await insertPayment(me.id, { status: "failed" });
    const calls = provider(() => json({ link: "https://test.customer.dodopayments.com/session/abc" }));

    const response = await post("/api/billing/portal", { provider: "dodo" }, me.headers);
    expect(response.status).toBe(200);
    expect(customerPortalSchema.strict().parse(await response.json())).toEqual({
      url: "https://test.customer.dodopayments.com/session/abc",
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe("POST");
    expect(calls[0]?.url.href).toBe(`https://${DODO_HOST}/customers/${customerId}/customer-portal/session`);
    expect(calls[0]?.headers.get("authorization")).toBe(`Bearer ${DODO_KEY}`);
    expect(calls[0]?.body).toBeUndefined();
  });

  it("answers 404 when the user has nothing with that provider", async () => {
    const me = await signUpVerified();
    // Someone else's records are not the caller's.
    const other = await signUpVerified();
    await insertSubscription(other.id);
    await insertPayment(other.id, { customerId: rid("cus") });
    const calls = provider(() => json({}));
    for (const input of ["polar", "dodo"] as const) {
      await expectEnvelope(await post("/api/billing/portal", { provider: input }, me.headers), 404, "NOT_FOUND");
    }
    // A Polar subscription is nothing with Dodo Payments.
    await insertSubscription(me.id);
    await expectEnvelope(await post("/api/billing/portal", { provider: "dodo" }, me.headers), 404, "NOT_FOUND");
    expect(calls).toHaveLength(0);
  });
});

describe("OpenAPI", () => {
  it("documents both routes with their bodies, answers and errors", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<
        string,
        { post?: { security?: unknown; requestBody?: unknown; responses: Record<string, unknown> } }
      >;
      components: { schemas: Record<string, unknown> };
    };
    for (const [path, ok] of [
      ["/api/billing/checkout", "201"],
      ["/api/billing/portal", "200"],
    ] as const) {
      const operation = doc.paths[path]?.post;
      expect(operation?.requestBody).toBeDefined();
      expect(operation?.security).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining([ok, "400", "401", "502"]));
    }
    expect(doc.paths["/api/billing/checkout"]?.post?.responses).toHaveProperty("409");
    expect(doc.paths["/api/billing/portal"]?.post?.responses).toHaveProperty("404");
    expect(doc.components.schemas).toHaveProperty("Checkout");
    expect(doc.components.schemas).toHaveProperty("CustomerPortal");
  });
});
