import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api-error";
import { describeError } from "../../lib/errors";
import {
  afterSignUpPath,
  authCall,
  authError,
  authPath,
  nextFrom,
  redirectErrorMessage,
  socialLabel,
  socialProvidersOf,
  verificationCallback,
} from "./auth-flow";

describe("authError", () => {
  it("reads a rate limit in the app's own words", () => {
    const error = authError({ status: 429, statusText: "Too Many Requests", message: "Too many requests." });
    expect(error.code).toBe("RATE_LIMITED");
    expect(describeError(error)).toMatch(/Too many attempts/);
  });

  it("keeps the library's message for other errors", () => {
    const error = authError({ status: 401, code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
    expect(describeError(error)).toBe("Invalid email or password");
  });

  it("says plainly that an email is taken", () => {
    const error = authError({
      status: 422,
      code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
      message: "User already exists. Use another email.",
    });
    expect(describeError(error)).toMatch(/already exists/);
  });

  it("keeps library codes apart from the app's, which mean other things", () => {
    const error = authError({ status: 401, code: "UNAUTHORIZED", message: "Sign in with a password" });
    expect(error.code).toBe("AUTH_UNAUTHORIZED");
    expect(describeError(error)).toBe("Sign in with a password");
  });

  it("falls back to the status text, and gives a server failure the app's wording", () => {
    expect(describeError(authError({ status: 400, statusText: "Bad Request" }))).toBe("Bad Request");
    expect(describeError(authError({ status: 500, statusText: "Internal Server Error" }))).toMatch(/on our side/);
  });
});

describe("authCall", () => {
  it("answers the data", async () => {
    await expect(authCall(Promise.resolve({ data: { token: "t" }, error: null }))).resolves.toEqual({ token: "t" });
  });

  it("throws the error as an ApiError", async () => {
    await expect(
      authCall(Promise.resolve({ data: null, error: { status: 403, code: "EMAIL_NOT_VERIFIED", message: "x" } })),
    ).rejects.toMatchObject({ status: 403, code: "AUTH_EMAIL_NOT_VERIFIED" });
  });

  it("turns a lost connection into the offline error", async () => {
    const error = await authCall(Promise.reject(new TypeError("Failed to fetch"))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("OFFLINE");
  });
});

describe("next and the account pages' addresses", () => {
  it("keeps only a path on this site", () => {
    expect(nextFrom("?next=%2Fsettings%3Fcheckout%3Dpolar")).toBe("/settings?checkout=polar");
    expect(nextFrom("?next=https%3A%2F%2Fevil.example")).toBe("/");
    expect(nextFrom("?next=%2F%2Fevil.example")).toBe("/");
    expect(nextFrom("")).toBe("/");
  });

  it("carries next between the pages, and leaves the default out", () => {
    expect(authPath("/sign-up", "/lookouts")).toBe("/sign-up?next=%2Flookouts");
    expect(authPath("/sign-up", "/")).toBe("/sign-up");
    expect(authPath("/verify-email", "/", { email: "a@b.example" })).toBe("/verify-email?email=a%40b.example");
  });

  it("has the verification link come back to the verify page, with next", () => {
    expect(verificationCallback("/settings")).toBe("/verify-email?next=%2Fsettings");
    expect(verificationCallback("/")).toBe("/verify-email");
  });
});

describe("afterSignUpPath", () => {
  const base = { next: "/settings", email: "a@b.example" };

  it("goes to next when the sign-up signed the traveller in", () => {
    expect(afterSignUpPath({ ...base, token: "t", requireEmailVerification: false })).toBe("/settings");
    expect(afterSignUpPath({ ...base, token: "t", requireEmailVerification: true })).toBe("/settings");
  });

  it("goes to the inbox notice when verification is required and there is no session", () => {
    expect(afterSignUpPath({ ...base, token: null, requireEmailVerification: true })).toBe(
      "/verify-email?email=a%40b.example&next=%2Fsettings",
    );
    // Without the server's answer, no session means a link is on its way.
    expect(afterSignUpPath({ ...base, token: null, requireEmailVerification: undefined })).toMatch(/^\/verify-email/);
  });

  it("goes to sign in when nobody was signed in for another reason", () => {
    expect(afterSignUpPath({ ...base, token: null, requireEmailVerification: false })).toBe(
      "/sign-in?next=%2Fsettings",
    );
  });
});

describe("social providers", () => {
  it("shows only the ones the page knows, in the server's order", () => {
    expect(socialProvidersOf(["google", "github", "apple"])).toEqual(["google", "github"]);
    expect(socialProvidersOf(undefined)).toEqual([]);
    expect(socialProvidersOf(["constructor", "toString"])).toEqual([]);
  });

  it("labels them", () => {
    expect(socialLabel("github")).toBe("Continue with GitHub");
    expect(socialLabel("google")).toBe("Continue with Google");
  });
});

describe("redirectErrorMessage", () => {
  it("is nothing without an error", () => {
    expect(redirectErrorMessage("?next=%2F", "social")).toBeNull();
  });

  it("explains a stale link", () => {
    expect(redirectErrorMessage("?error=INVALID_TOKEN", "reset")).toMatch(/reset link is invalid or has expired/);
    expect(redirectErrorMessage("?error=TOKEN_EXPIRED", "verify")).toMatch(/verification link is invalid/);
    expect(redirectErrorMessage("?error=user_not_found", "verify")).toMatch(/could not be confirmed/);
  });

  it("names what went wrong with a provider", () => {
    expect(redirectErrorMessage("?error=account_not_linked", "social")).toMatch(/\(account not linked\)/);
  });
});
