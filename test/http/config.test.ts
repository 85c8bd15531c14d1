import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { publicConfigSchema } from "../../src/routes/config/config.routes";
import { call } from "../support/http";

/** `GET /api/config` through the app with some configuration changed (config is parsed per env object). */
async function configWith(overrides: Record<string, string | undefined>) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request("http://localhost:8787/api/config"),
    { ...env, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, text, body: publicConfigSchema.strict().parse(JSON.parse(text)) };
}

const secrets = {
  GITHUB_CLIENT_ID: "gh-client-id-7f3a",
  GITHUB_CLIENT_SECRET: "gh-client-secret-9b21",
  GOOGLE_CLIENT_ID: "google-client-id-44c0",
  GOOGLE_CLIENT_SECRET: "google-client-secret-d5e8",
  POLAR_ACCESS_TOKEN: "polar_oat_token_0a1b2c",
  DODO_PAYMENTS_API_KEY: "dodo_key_3d4e5f",
};

describe("GET /api/config", () => {
  it("answers the test configuration's defaults without a session", async () => {
    const response = await call("/api/config");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = publicConfigSchema.strict().parse(await response.json());
    // vitest.config.ts configures no social or billing provider; wrangler.toml requires verification.
    expect(body).toEqual({ socialProviders: [], billingProviders: [], requireEmailVerification: true });
    // Public: a bad credential is not even looked at.
    const withBadToken = await call("/api/config", { headers: { authorization: "Bearer not-a-token" } });
    expect(withBadToken.status).toBe(200);
  });

  it("lists each provider whose credentials are configured, and never a credential", async () => {
    const { status, text, body } = await configWith({ ...secrets, REQUIRE_EMAIL_VERIFICATION: "false" });
    expect(status).toBe(200);
    expect(body).toEqual({
      socialProviders: ["github", "google"],
      billingProviders: ["polar", "dodo"],
      requireEmailVerification: false,
    });
    for (const value of [...Object.values(secrets), env.BETTER_AUTH_SECRET, env.POLAR_WEBHOOK_SECRET]) {
      expect(value && text.includes(value)).toBeFalsy();
    }
  });

  it("leaves out a social provider with only one of its id and secret", async () => {
    const { body } = await configWith({
      GITHUB_CLIENT_ID: secrets.GITHUB_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: secrets.GOOGLE_CLIENT_SECRET,
      DODO_PAYMENTS_API_KEY: secrets.DODO_PAYMENTS_API_KEY,
    });
    expect(body).toEqual({ socialProviders: [], billingProviders: ["dodo"], requireEmailVerification: true });

    const google = await configWith({
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "secret",
      POLAR_ACCESS_TOKEN: "t",
    });
    expect(google.body.socialProviders).toEqual(["google"]);
    expect(google.body.billingProviders).toEqual(["polar"]);
  });

  it("is described in the OpenAPI document without security", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, { get?: { security?: unknown; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, unknown> };
    };
    const operation = doc.paths["/api/config"]?.get;
    expect(operation?.responses).toHaveProperty("200");
    expect(operation?.security).toBeUndefined();
    expect(doc.components.schemas).toHaveProperty("PublicConfig");
  });
});
