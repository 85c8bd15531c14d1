import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../src/lib/errors";
import {
  createWebhookVerifier,
  verifyWebhookSignature,
  WebhookSecretError,
} from "../../src/services/billing/verify-webhook-signature";
import { dodoPaymentSucceededRaw, polarSubscriptionActiveRaw, vectors } from "./webhook-fixtures";

const payloads: Record<string, string> = {
  "polar-subscription-active.min.json": polarSubscriptionActiveRaw,
  "dodo-payment-succeeded.min.json": dodoPaymentSucceededRaw,
};

function at(seconds: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(seconds * 1000);
}

function check(input: {
  secret: string;
  mode?: "standard" | "legacy";
  id: string;
  ts: string;
  sig: string;
  body: string;
}) {
  return verifyWebhookSignature({
    verifier: createWebhookVerifier(input.secret, input.mode ?? "standard"),
    headers: { id: input.id, timestamp: input.ts, signature: input.sig },
    body: input.body,
  });
}

function expectInvalid(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("INVALID_SIGNATURE");
    return;
  }
  throw new Error("expected INVALID_SIGNATURE");
}

async function sha256(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Standard Webhooks test vectors", () => {
  it.each(vectors.official.map((v) => [v.name, v] as const))("official vector verifies: %s", (_name, v) => {
    at(v.timestamp);
    expect(
      check({ secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: v.expected, body: v.payload }),
    ).toEqual({ webhookId: v.msg_id, timestamp: new Date(v.timestamp * 1000) });
  });

  it.each(vectors.official_negative.invalid_signatures.map((s) => [s]))("official negative fails: %s", (sig) => {
    const v = vectors.official[0];
    at(v.timestamp);
    expectInvalid(() => check({ secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig, body: v.payload }));
  });

  it("accepts the multi-signature header when one entry is valid, and refuses it without that entry", () => {
    const v = vectors.official[0];
    at(v.timestamp);
    const template = vectors.official_negative.multi_sig_header_template;
    const ok = template.replace("<VALID>", v.expected);
    expect(check({ secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: ok, body: v.payload }).webhookId).toBe(
      v.msg_id,
    );
    const without = template.replace(" <VALID>", "");
    expectInvalid(() =>
      check({ secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: without, body: v.payload }),
    );
  });

  it.each(vectors.official_negative.empty_secrets_rejected.map((s) => [s]))("refuses the empty secret %j", (secret) => {
    expect(() => createWebhookVerifier(secret, "standard")).toThrow(WebhookSecretError);
    expect(() => createWebhookVerifier(secret, "legacy")).toThrow(WebhookSecretError);
  });

  it("enforces the tolerance of the vectors (300 s) on both sides", () => {
    const v = vectors.official[0];
    const tolerance = vectors.official_negative.tolerance_seconds;
    const input = { secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: v.expected, body: v.payload };
    at(v.timestamp + tolerance);
    expect(check(input).webhookId).toBe(v.msg_id);
    at(v.timestamp + tolerance + 1);
    expectInvalid(() => check(input));
    at(v.timestamp - tolerance);
    expect(check(input).webhookId).toBe(v.msg_id);
    at(v.timestamp - tolerance - 1);
    expectInvalid(() => check(input));
  });

  it("derives Polar's legacy key from the UTF-8 bytes of the whole secret", () => {
    for (const v of vectors.derived.filter((d) => d.name.startsWith("polar-legacy"))) {
      if (!("payload" in v)) continue;
      at(v.timestamp);
      const input = { secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: v.expected, body: v.payload };
      expect(check({ ...input, mode: "legacy" }).webhookId).toBe(v.msg_id);
      if (v.secret.startsWith("whsec_")) expectInvalid(() => check({ ...input, mode: "standard" }));
    }
  });

  it("verifies the fixture-derived vectors over the exact fixture bytes", async () => {
    for (const v of vectors.derived) {
      if (!("payload_file" in v)) continue;
      const body = payloads[v.payload_file] as string;
      expect(await sha256(body)).toBe(v.payload_sha256);
      at(v.timestamp);
      const input = { secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: v.expected, body };
      expect(check(input).webhookId).toBe(v.msg_id);
      if ("expected_polar_legacy_utf8_key" in v) {
        expect(check({ ...input, sig: v.expected_polar_legacy_utf8_key, mode: "legacy" }).webhookId).toBe(v.msg_id);
        expectInvalid(() => check({ ...input, sig: v.expected_polar_legacy_utf8_key }));
        expectInvalid(() => check({ ...input, mode: "legacy" }));
      }
    }
  });
});

describe("header strictness", () => {
  const v = vectors.official[0];
  const base = { secret: v.secret, id: v.msg_id, ts: String(v.timestamp), sig: v.expected, body: v.payload };

  it.each([
    ["a timestamp with trailing letters", { ts: `${v.timestamp}abc` }],
    ["a timestamp with a sign", { ts: `+${v.timestamp}` }],
    ["a fractional timestamp", { ts: `${v.timestamp}.0` }],
    ["a timestamp with spaces", { ts: ` ${v.timestamp}` }],
    ["an empty timestamp", { ts: "" }],
    ["an empty id", { id: "" }],
    ["an id with spaces", { id: "msg 1" }],
    ["an empty signature", { sig: "" }],
    ["a signature without a version", { sig: v.expected.slice(3) }],
    ["only a v1a entry", { sig: v.expected.replace("v1,", "v1a,") }],
    ["only a v2 entry", { sig: v.expected.replace("v1,", "v2,") }],
    ["a truncated signature", { sig: v.expected.slice(0, -2) }],
    ["a re-serialized body", { body: JSON.stringify(JSON.parse(v.payload)) }],
  ])("refuses %s", (_name, change) => {
    at(v.timestamp);
    expectInvalid(() => check({ ...base, ...change }));
  });
});
