import { beforeAll, describe, expect, it } from "vitest";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat } from "../support/factories";
import { call, expectEnvelope, json } from "../support/http";

const { db } = useTestDatabase();
let traveller: SignedInUser;
let chatId: string;

beforeAll(async () => {
  traveller = await signUpVerified("Headers");
  ({ id: chatId } = await createChat(db, { userId: traveller.id, title: "Porto", visibility: "public" }));
});

const bearer = () => ({ authorization: `Bearer ${traveller.bearer}` });

describe("response headers", () => {
  it("sends X-Content-Type-Options: nosniff on every kind of response", async () => {
    const responses: Array<[string, Response]> = [
      ["health", await call("/health")],
      ["readiness", await call("/ready")],
      ["OpenAPI document", await call("/openapi.json")],
      ["API reference", await call("/docs")],
      ["unknown route", await call("/api/no-such-route")],
      ["wrong method", await call("/health", { method: "DELETE" })],
      ["signed out", await call("/api/me")],
      ["signed in", await call("/api/me", { headers: bearer() })],
      ["public chat, anonymous", await call(`/api/chats/${chatId}`)],
      ["better-auth answer", await call("/api/auth/get-session", { headers: traveller.headers })],
      [
        "better-auth refusal",
        await json("POST", "/api/auth/sign-in/email", { email: "x@example.test", password: "wrong-password" }),
      ],
      ["unsigned webhook", await json("POST", "/api/webhooks/polar", {})],
      ["export", await call("/api/me/export", { headers: bearer() })],
      [
        "streamed reply",
        await json(
          "POST",
          "/api/chat",
          {
            id: crypto.randomUUID(),
            messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Hi" }] }],
          },
          bearer(),
        ),
      ],
    ];
    for (const [label, response] of responses) {
      expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
      await response.text();
    }
    expect(responses.at(-1)?.[1].headers.get("content-type")).toContain("text/event-stream");
  });

  it("marks authenticated JSON answers, errors included, as not to be stored", async () => {
    const authenticated: Array<[string, Response]> = [
      ["GET /api/me (cookie)", await call("/api/me", { headers: traveller.headers })],
      ["GET /api/me (bearer)", await call("/api/me", { headers: bearer() })],
      ["GET /api/chats", await call("/api/chats", { headers: bearer() })],
      ["GET /api/chats/:id", await call(`/api/chats/${chatId}`, { headers: bearer() })],
      ["GET /api/chats/:id/messages", await call(`/api/chats/${chatId}/messages`, { headers: bearer() })],
      ["GET /api/me/custom-instructions", await call("/api/me/custom-instructions", { headers: bearer() })],
      ["GET /api/billing", await call("/api/billing", { headers: bearer() })],
      ["GET /api/models", await call("/api/models", { headers: bearer() })],
      ["GET /api/lookouts", await call("/api/lookouts", { headers: bearer() })],
      ["a 404 of a signed-in caller", await call(`/api/chats/${crypto.randomUUID()}`, { headers: bearer() })],
      [
        "a 400 of a signed-in caller",
        await json("PUT", "/api/me/custom-instructions", { content: "" }, traveller.headers),
      ],
    ];
    for (const [label, response] of authenticated) {
      expect(response.headers.get("content-type"), label).toContain("application/json");
      expect(response.headers.get("cache-control"), label).toBe("no-store");
      await response.text();
    }
  });
});

describe("request ids", () => {
  const SAFE = ["a", "client-abc-123", "trace.v1_ABC-9", "x".repeat(64)];
  const UNSAFE = [
    "x".repeat(65),
    "bad id",
    "<script>alert(1)</script>",
    "id=with=equals",
    "line\\nbreak",
    "ünïcode",
    "a/b",
    '{"json":1}',
    "x".repeat(200),
  ];

  it("keeps a short safe token as the request id", async () => {
    for (const id of SAFE) {
      const response = await call("/api/no-such-route", { headers: { "x-request-id": id } });
      expect(response.headers.get("x-request-id")).toBe(id);
      expect((await expectEnvelope(response, 404)).error.requestId).toBe(id);
    }
  });

  it("replaces anything else with an id of its own", async () => {
    for (const id of UNSAFE) {
      const response = await call("/api/no-such-route", { headers: { "x-request-id": id } });
      const replaced = response.headers.get("x-request-id");
      expect(replaced, id).not.toBe(id);
      expect(replaced, id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      expect((await expectEnvelope(response, 404)).error.requestId).toBe(replaced);
    }
  });
});
