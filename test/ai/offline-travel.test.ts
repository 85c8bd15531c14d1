import { generateText } from "ai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildGenerationOptions } from "../../src/ai/generation";
import { createOfflineModel } from "../../src/ai/offline-model";
import { planTravel } from "../../src/ai/offline-travel";
import { buildSystemPrompt } from "../../src/ai/prompts";
import { buildTools } from "../../src/ai/tools";
import offerRequest from "../fixtures/providers/duffel/offer-request-return.json";
import placesLisbon from "../fixtures/providers/duffel/places-suggestions-lisbon.json";
import placesLondon from "../fixtures/providers/duffel/places-suggestions-london.json";
import ukJapan from "../fixtures/providers/govuk/foreign-travel-advice-japan.json";
import holidays2026 from "../fixtures/providers/nager-date/public-holidays-2026-pt.json";
import usAdvisories from "../fixtures/providers/state-dept/travel-advisories.json";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { setConfigOverride } from "../support/config";
import { testSql } from "../support/db";
import { call } from "../support/http";
import { replyDone } from "../support/replies";
import { clientOver, type FakeCall, fakeFetch, json } from "./fake-fetch";

const NOW = new Date("2026-04-03T05:30:00Z");

/** The text a UI message stream carries, its deltas joined. */
const streamedText = (stream: string) =>
  stream
    .split("\n")
    .filter((line) => line.startsWith("data: {"))
    .map((line) => JSON.parse(line.slice("data: ".length)) as { type: string; delta?: string })
    .filter((chunk) => chunk.type === "text-delta")
    .map((chunk) => chunk.delta)
    .join("");

const providers = (call: FakeCall): Response => {
  if (call.url.pathname === "/places/suggestions") {
    return json(call.url.searchParams.get("query") === "London" ? placesLondon : placesLisbon);
  }
  if (call.url.pathname === "/air/offer_requests") return json(offerRequest, { status: 201 });
  if (call.url.hostname === "cadataapi.state.gov") return json(usAdvisories);
  if (call.url.hostname === "www.gov.uk") return json(ukJapan);
  if (call.url.hostname === "date.nager.at") return json(holidays2026);
  return new Response("unexpected", { status: 599 });
};

async function reply(text: string, config = {}) {
  const fake = clientOver(providers);
  const tools = buildTools({ config, mode: "chat", fetch: fake.http, cache: null });
  const result = await generateText(
    buildGenerationOptions({
      mode: "chat",
      model: createOfflineModel(),
      tools,
      system: buildSystemPrompt({ mode: "chat", now: NOW, toolsOn: Object.keys(tools) }),
      messages: [{ role: "user", content: text }],
      http: fake.http,
    }),
  );
  return { result, calls: fake.calls };
}

describe("the offline model's travel questions", () => {
  it("reads flights, flight numbers, safety and holidays out of a message", () => {
    expect(planTravel("Flights from London to Lisbon on 2026-05-14, back 2026-05-21?", NOW)).toEqual({
      toolName: "flightSearch",
      input: {
        origin: "London",
        destination: "Lisbon",
        departureDate: "2026-05-14",
        returnDate: "2026-05-21",
        cabin: "economy",
        adults: 1,
        childAges: [],
      },
    });
    expect(planTravel("cheap flights Berlin to Porto", NOW)?.input).toMatchObject({
      origin: "Berlin",
      destination: "Porto",
      departureDate: "2026-04-17",
    });
    expect(planTravel("Is BA 117 delayed today?", NOW)).toEqual({
      toolName: "flightStatus",
      input: { flightNumber: "BA117", date: "2026-04-03" },
    });
    expect(planTravel("Is it safe to travel to Japan in May?", NOW)).toEqual({
      toolName: "travelSafety",
      input: { country: "JP" },
    });
    expect(planTravel("Any public holidays in Portugal while I'm there?", NOW)).toEqual({
      toolName: "publicHolidays",
      input: { country: "PT", from: "2026-04-03", to: "2026-06-02" },
    });
    expect(planTravel("Cheap flights Berlin to Porto?", NOW)?.input).toMatchObject({
      origin: "Berlin",
      destination: "Porto",
    });
    expect(planTravel("Flights to Lisbon?", NOW)).toEqual({ toolName: "flightSearch", input: undefined });
    expect(planTravel("What's the weather in Lisbon?", NOW)).toBeUndefined();
  });

  it("calls flight search when it is offered and summarises the offers", async () => {
    const { result, calls } = await reply("Flights from London to Lisbon on 2026-05-14?", {
      DUFFEL_ACCESS_TOKEN: "duffel_test",
    });
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      toolName: "flightSearch",
      input: { origin: "London", destination: "Lisbon", departureDate: "2026-05-14" },
    });
    expect(calls.some((request) => request.url.pathname === "/air/offer_requests")).toBe(true);
    expect(result.text).toContain("3 flight offers; the cheapest is 142.9 GBP with Iberia");
  });

  it("asks for the route when a flight question names none, instead of guessing", async () => {
    const { result, calls } = await reply("Any flights to Lisbon?", { DUFFEL_ACCESS_TOKEN: "duffel_test" });
    expect(result.toolCalls).toHaveLength(0);
    expect(calls).toHaveLength(0);
    expect(result.text).toContain("Tell me where you fly from and to");
  });

  it("says flight search and status are not configured when their keys are not set, and calls nothing", async () => {
    const search = await reply("Flights from London to Lisbon next week?");
    expect(search.result.toolCalls).toHaveLength(0);
    expect(search.calls).toHaveLength(0);
    expect(search.result.text).toContain("Flight search is not configured on this server");
    const status = await reply("Has KL1395 landed yet?");
    expect(status.result.text).toContain("Flight status is not configured on this server");
  });

  it("calls the keyless safety and holiday tools and summarises them", async () => {
    const safety = await reply("Is it safe to go to Japan?");
    expect(safety.result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: "travelSafety", input: { country: "JP" } });
    expect(safety.result.text).toContain("Japan: US level 1 (Exercise normal precautions); no FCDO alerts");
    const holidays = await reply("Public holidays in Portugal between 2026-04-01 and 2026-04-30?");
    expect(holidays.result.text).toContain("3 public holidays: 2026-04-03 Good Friday");
  });
});

describe("a flight question through the real app", () => {
  const sql = testSql();
  let alice: SignedInUser;
  beforeAll(async () => {
    alice = await signUpVerified("Flying Alice");
  });
  afterEach(() => {
    setConfigOverride(undefined);
    vi.restoreAllMocks();
  });
  afterAll(() => sql.end());

  it("POST /api/chat with the offline model calls flight search and saves the tool call and its offers", async () => {
    setConfigOverride({ DUFFEL_ACCESS_TOKEN: "duffel_test_app" });
    const original = globalThis.fetch;
    const duffel = fakeFetch(providers);
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return url.hostname === "api.duffel.com" ? duffel.fetch(input, init) : original(input, init);
    });
    const chatId = crypto.randomUUID();
    const response = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${alice.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        trigger: "submit-message",
        messages: [
          {
            id: crypto.randomUUID(),
            role: "user",
            parts: [{ type: "text", text: "Any flights from London to Lisbon on 2026-05-14?" }],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const stream = await response.text();
    expect(stream).toContain('"toolName":"flightSearch"');
    expect(stream).not.toContain('"type":"error"');
    await replyDone(chatId);

    const offerRequests = duffel.calls.filter((request) => request.url.pathname === "/air/offer_requests");
    expect(offerRequests).toHaveLength(1);
    expect(offerRequests[0]?.headers.get("authorization")).toBe("Bearer duffel_test_app");
    const [assistant] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    const parts = assistant?.parts as Array<{ type: string; state?: string; output?: { offers?: unknown[] } }>;
    const tool = parts.find((part) => part.type === "tool-flightSearch");
    expect(tool?.state).toBe("output-available");
    expect(tool?.output?.offers).toHaveLength(3);
    const text = parts.filter((part) => part.type === "text").map((part) => (part as unknown as { text: string }).text);
    expect(text.join("")).toContain("the cheapest is 142.9 GBP with Iberia");
  });

  it("leaves flight search out when Duffel is not configured, and says so", async () => {
    const chatId = crypto.randomUUID();
    const response = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${alice.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        trigger: "submit-message",
        messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Flights to Lisbon?" }] }],
      }),
    });
    const stream = await response.text();
    await replyDone(chatId);
    expect(stream).not.toContain("flightSearch");
    expect(streamedText(stream)).toContain("Flight search is not configured on this server");
  });
});
