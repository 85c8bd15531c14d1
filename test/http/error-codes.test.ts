import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { codeByStatus, toErrorResponse } from "../../src/http/error-envelope";
import type { AppEnv } from "../../src/http/types";
import { randomIp } from "../support/auth";
import { expectEnvelope, TRUSTED_ORIGIN } from "../support/http";

/** A library's HTTPException with `status`, through the app's one error handler. */
async function thrown(status: ContentfulStatusCode) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("requestId", "req-codes");
    await next();
    c.header("x-request-id", "req-codes");
  });
  app.get("/", () => {
    throw new HTTPException(status, { message: `status ${status}` });
  });
  app.onError((error, c) => toErrorResponse(c, error));
  return app.request("/");
}

describe("one code for each error status", () => {
  it("maps the statuses the two tables disagreed on the same way everywhere", () => {
    expect(codeByStatus(409)).toBe("CONFLICT");
    expect(codeByStatus(422)).toBe("VALIDATION_ERROR");
    expect(codeByStatus(502)).toBe("BAD_GATEWAY");
    expect(codeByStatus(503)).toBe("SERVICE_UNAVAILABLE");
    expect(codeByStatus(418)).toBe("BAD_REQUEST");
    expect(codeByStatus(500)).toBe("INTERNAL_ERROR");
    expect(codeByStatus(504)).toBe("INTERNAL_ERROR");
  });

  it("answers a library's 422 and 409 with their own codes in the envelope", async () => {
    const unprocessable = await expectEnvelope(await thrown(422), 422, "VALIDATION_ERROR");
    expect(unprocessable.error.message).toBe("status 422");
    await expectEnvelope(await thrown(409), 409, "CONFLICT");
  });

  it("answers better-auth's 422 (an email already signed up) with VALIDATION_ERROR", async () => {
    // Without email verification better-auth says plainly that the address is taken (a 422).
    const open = { ...env, REQUIRE_EMAIL_VERIFICATION: "false" };
    const app = createApp();
    const email = `taken-${crypto.randomUUID()}@example.test`;
    const signUp = async () => {
      const ctx = createExecutionContext();
      const response = await app.fetch(
        new Request("http://localhost:8787/api/auth/sign-up/email", {
          method: "POST",
          headers: { "content-type": "application/json", origin: TRUSTED_ORIGIN, "cf-connecting-ip": randomIp() },
          body: JSON.stringify({ email, password: "correct horse battery", name: "Taken" }),
        }),
        open,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return response;
    };
    expect((await signUp()).status).toBe(200);
    const body = await expectEnvelope(await signUp(), 422, "VALIDATION_ERROR");
    expect(body.error.details).toEqual({ authCode: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
  });
});
