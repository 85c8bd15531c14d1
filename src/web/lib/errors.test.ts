import { describe, expect, it } from "vitest";
import { ApiError, fromChatError, readApiError } from "./api-error";
import { describeError } from "./errors";

describe("error envelopes as sentences", () => {
  it("says when a used allowance comes back, in the traveller's time zone", () => {
    const error = new ApiError(429, "USAGE_LIMIT_EXCEEDED", "You have used your daily messages allowance", {
      limit: 20,
      used: 20,
      resetAt: "2026-12-08T00:00:00.000Z",
    });
    const tokyo = describeError(error, "Asia/Tokyo");
    expect(tokyo).toContain("(20 of 20)");
    expect(tokyo).toMatch(/resets .*(09:00|9:00 AM)/);
    expect(describeError(error, "America/New_York")).toMatch(/resets .*(19:00|07:00 PM)/);
  });

  it("says a reply is already running for a 409, what Pro adds for a 403 Pro model, and what is missing for a 404", () => {
    expect(describeError(new ApiError(409, "CONFLICT", ""))).toMatch(/already being written/);
    expect(describeError(new ApiError(403, "PLAN_REQUIRED", "The model offline-pro needs a Pro plan"))).toMatch(
      /^The model offline-pro needs a Pro plan\. Pro adds/,
    );
    expect(describeError(new ApiError(404, "NOT_FOUND", "Chat not found"))).toBe("Chat not found.");
    expect(describeError(new ApiError(404, "NOT_FOUND", "No route for GET /api/x"))).toMatch(/^Not found\./);
  });

  it("never shows a server's internal message for a 5xx, only its reference", () => {
    const message = describeError(new ApiError(500, "INTERNAL_ERROR", "relation does not exist", undefined, "req-1"));
    expect(message).not.toContain("relation");
    expect(message).toContain("req-1");
  });

  it("tells an offline traveller that Mylo will reconnect", () => {
    expect(describeError(ApiError.offline())).toMatch(/offline/);
    expect(fromChatError(new TypeError("Failed to fetch")).code).toBe("OFFLINE");
  });

  it("reads the envelope from a response, and from the chat transport's error text", async () => {
    const body = { error: { code: "USAGE_LIMIT_EXCEEDED", message: "Over", requestId: "r1", details: { limit: 1 } } };
    const read = await readApiError(new Response(JSON.stringify(body), { status: 429 }));
    expect(read).toMatchObject({ status: 429, code: "USAGE_LIMIT_EXCEEDED", message: "Over", requestId: "r1" });
    expect(fromChatError(new Error(JSON.stringify(body)))).toMatchObject({ status: 429, code: "USAGE_LIMIT_EXCEEDED" });
    const notJson = await readApiError(new Response("<html>", { status: 502, statusText: "Bad Gateway" }));
    expect(notJson).toMatchObject({ status: 502, code: "HTTP_502" });
  });
});
