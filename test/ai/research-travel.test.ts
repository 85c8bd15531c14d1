import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { buildSystemPrompt } from "../../src/ai/prompts";
import { researchRequestText, runResearch } from "../../src/ai/research";
import { buildTools } from "../../src/ai/tools";
import offerRequest from "../fixtures/providers/duffel/offer-request-return.json";
import usAdvisories from "../fixtures/providers/state-dept/travel-advisories.json";
import { clientOver, json } from "./fake-fetch";

type GenerateResult = Awaited<ReturnType<MockLanguageModelV4["doGenerate"]>>;
const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const toolCall = (toolName: string, input: unknown, id: string): GenerateResult => ({
  content: [{ type: "tool-call", toolCallId: id, toolName, input: JSON.stringify(input) }],
  finishReason: { unified: "tool-calls", raw: "tool_calls" },
  usage,
  warnings: [],
});
const text = (value: string): GenerateResult => ({
  content: [{ type: "text", text: value }],
  finishReason: { unified: "stop", raw: "stop" },
  usage,
  warnings: [],
});

describe("research with the travel tools", () => {
  it("tells the research agent to use the travel tools that are on, and only those", () => {
    const all = buildSystemPrompt({
      mode: "extreme",
      now: new Date("2026-04-03T05:30:00Z"),
      toolsOn: ["webSearch", "readPage", "flightSearch", "travelSafety", "publicHolidays", "destinationGuide"],
    });
    expect(all).toContain("use the travel tools that fit the request: flightSearch for fares and routes;");
    expect(all).toContain("travelSafety for advisories and entry rules");
    expect(all).not.toContain("flightStatus for a named flight");
    expect(all).toContain("- flightSearch: live flight offers (Duffel)");
    const none = buildSystemPrompt({ mode: "extreme", now: new Date(), toolsOn: ["webSearch", "readPage"] });
    expect(none).not.toContain("travel tools that fit");
    const chat = buildSystemPrompt({ mode: "chat", now: new Date(), toolsOn: ["flightSearch"] });
    expect(chat).not.toContain("travel tools that fit");
  });

  it("asks a recurring run to compare prices with the previous report", () => {
    const request = researchRequestText("Fares Berlin to Lisbon in May?", {
      date: "3 March 2031",
      text: "BER-LIS from 79 EUR.",
    });
    expect(request).toContain("compare each price you find now with the same one in the previous report");
    expect(researchRequestText("Fares Berlin to Lisbon in May?", undefined)).not.toContain("compare each price");
  });

  it("runs flight search and travel safety inside a research run (a lookout's path)", async () => {
    const fake = clientOver((call) => {
      if (call.url.hostname === "api.duffel.com") return json(offerRequest, { status: 201 });
      if (call.url.hostname === "cadataapi.state.gov") return json(usAdvisories);
      return new Response("not found", { status: 404 });
    });
    const tools = buildTools({ config: { DUFFEL_ACCESS_TOKEN: "t" }, mode: "extreme", fetch: fake.http, cache: null });
    const model = new MockLanguageModelV4({
      doGenerate: [
        toolCall(
          "flightSearch",
          {
            origin: "LHR",
            destination: "LIS",
            departureDate: "2026-05-14",
            cabin: "economy",
            adults: 1,
            childAges: [],
          },
          "c1",
        ),
        toolCall("travelSafety", { country: "FR" }, "c2"),
        text("Fares from 142.90 GBP [1]. France: level 2 [2]."),
      ],
    });
    const outcome = await runResearch({
      model,
      tools,
      prompt: "Cheapest fares London to Lisbon in May?",
      http: fake.http,
    });
    expect(outcome.steps).toBe(3);
    expect(outcome.toolErrors).toBe(0);
    const offered = (model.doGenerateCalls[0]?.tools ?? []).map((item) => item.name);
    expect(offered).toEqual(
      expect.arrayContaining(["flightSearch", "travelSafety", "publicHolidays", "destinationGuide"]),
    );
    expect(fake.calls.map((call) => call.url.hostname)).toEqual(
      expect.arrayContaining(["api.duffel.com", "cadataapi.state.gov", "www.gov.uk"]),
    );
  });
});
