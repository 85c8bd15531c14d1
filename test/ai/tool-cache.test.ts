import type { Tool, ToolSet } from "ai";
import { describe, expect, it } from "vitest";
import { buildTools } from "../../src/ai/tools";
import { cachedLoad, cacheLifetimes, defaultToolCache } from "../../src/ai/tools/edge-cache";
import type { ToolConfig } from "../../src/ai/tools/types";
import aeroFlight from "../fixtures/providers/aerodatabox/flight-kl1395-2026-04-03.json";
import offerRequest from "../fixtures/providers/duffel/offer-request-return.json";
import rates from "../fixtures/providers/frankfurter/rates-usd-eur-jpy.json";
import ukJapan from "../fixtures/providers/govuk/foreign-travel-advice-japan.json";
import holidays2026 from "../fixtures/providers/nager-date/public-holidays-2026-pt.json";
import usAdvisories from "../fixtures/providers/state-dept/travel-advisories.json";
import guideLisbon from "../fixtures/providers/wikivoyage/summary-lisbon.json";
import { clientOver, type FakeCall, json } from "./fake-fetch";

// biome-ignore lint/suspicious/noExplicitAny: tools are exercised with plain JSON inputs, as the SDK would after validation
async function run(tools: ToolSet, name: string, input: any): Promise<any> {
  const tool = tools[name] as Tool | undefined;
  if (!tool?.execute) throw new Error(`tool ${name} is not on`);
  return tool.execute(input, { toolCallId: "call-1", messages: [], context: undefined });
}

const providers = (call: FakeCall): Response => {
  switch (call.url.hostname) {
    case "api.frankfurter.dev":
      return json(rates);
    case "cadataapi.state.gov":
      return json(usAdvisories);
    case "www.gov.uk":
      return json(ukJapan);
    case "date.nager.at":
      return json(holidays2026);
    case "en.wikivoyage.org":
      return json(guideLisbon);
    case "api.duffel.com":
      return json(offerRequest, { status: 201 });
    case "aerodatabox.p.rapidapi.com":
      return json(aeroFlight);
    default:
      return new Response("unexpected", { status: 599 });
  }
};

/** Tools over a fresh named cache (the real Workers Cache API) and a clock the test moves. */
async function setup(config: ToolConfig = {}) {
  const cache = await caches.open(`tools-${crypto.randomUUID()}`);
  let now = new Date("2026-04-03T05:30:00.000Z");
  const fake = clientOver(providers);
  const tools = buildTools({ config, mode: "chat", fetch: fake.http, now: () => now, cache });
  return {
    tools,
    calls: fake.calls,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

const cachedCases = [
  { tool: "currency", input: { amount: 10, from: "USD", to: ["EUR", "JPY"] }, lifetime: cacheLifetimes.rates },
  { tool: "travelSafety", input: { country: "Japan" }, lifetime: cacheLifetimes.advisories },
  {
    tool: "publicHolidays",
    input: { country: "PT", from: "2026-04-01", to: "2026-04-30" },
    lifetime: cacheLifetimes.holidays,
  },
  { tool: "destinationGuide", input: { destination: "Lisbon" }, lifetime: cacheLifetimes.guides },
];

describe("the edge cache", () => {
  it.each(cachedCases)(
    "serves $tool from the cache inside its lifetime, keeping the first retrievedAt",
    async ({ tool, input, lifetime }) => {
      const { tools, calls, advance } = await setup();
      const first = await run(tools, tool, input);
      expect(first.error).toBeUndefined();
      expect(first.retrievedAt).toBe("2026-04-03T05:30:00.000Z");
      const requests = calls.length;
      expect(requests).toBeGreaterThan(0);

      advance(lifetime - 60);
      const second = await run(tools, tool, input);
      expect(calls).toHaveLength(requests);
      expect(second).toEqual(first);

      advance(120);
      const third = await run(tools, tool, input);
      expect(calls).toHaveLength(requests * 2);
      expect(third.retrievedAt).toBe(
        new Date(Date.parse("2026-04-03T05:30:00.000Z") + (lifetime + 60) * 1000).toISOString(),
      );
    },
  );

  it("keys entries per request: another input asks the provider again", async () => {
    const { tools, calls } = await setup();
    await run(tools, "currency", { amount: 10, from: "USD", to: ["EUR"] });
    await run(tools, "currency", { amount: 99, from: "USD", to: ["EUR"] });
    expect(calls).toHaveLength(1);
    await run(tools, "currency", { amount: 10, from: "GBP", to: ["EUR"] });
    await run(tools, "currency", { amount: 10, from: "USD", to: ["JPY"] });
    expect(calls.map((call) => call.url.search)).toEqual([
      "?base=USD&quotes=EUR",
      "?base=GBP&quotes=EUR",
      "?base=USD&quotes=JPY",
    ]);
  });

  it("never caches flight offers or flight status", async () => {
    const { tools, calls } = await setup({ DUFFEL_ACCESS_TOKEN: "t", AERODATABOX_API_KEY: "k" });
    const search = {
      origin: "LHR",
      destination: "LIS",
      departureDate: "2026-05-14",
      adults: 1,
      childAges: [],
      cabin: "economy",
    };
    const status = { flightNumber: "KL1395", date: "2026-04-03" };
    for (let round = 0; round < 2; round++) {
      expect((await run(tools, "flightSearch", search)).error).toBeUndefined();
      expect((await run(tools, "flightStatus", status)).error).toBeUndefined();
    }
    expect(calls.map((call) => call.url.hostname)).toEqual([
      "api.duffel.com",
      "aerodatabox.p.rapidapi.com",
      "api.duffel.com",
      "aerodatabox.p.rapidapi.com",
    ]);
  });

  it("stores no failure: the next call asks again", async () => {
    const cache = await caches.open(`tools-${crypto.randomUUID()}`);
    let failing = true;
    const fake = clientOver((call) => (failing ? new Response("down", { status: 503 }) : providers(call)));
    const tools = buildTools({ config: {}, mode: "chat", fetch: fake.http, cache });
    expect((await run(tools, "destinationGuide", { destination: "Lisbon" })).error).toMatch(/503/);
    failing = false;
    expect((await run(tools, "destinationGuide", { destination: "Lisbon" })).title).toBe("Lisbon");
    expect(fake.calls).toHaveLength(2);
  });

  it("uses the platform's default cache unless told otherwise, and survives a cache that fails", async () => {
    expect(defaultToolCache()).toBe(caches.default);
    const broken = {
      match: async () => {
        throw new Error("cache down");
      },
      put: async () => {
        throw new Error("cache down");
      },
    };
    const loaded = await cachedLoad(
      { cache: broken, key: "k", ttlSeconds: 60, now: () => new Date("2026-04-03T05:30:00Z") },
      async () => 42,
    );
    expect(loaded).toEqual({ value: 42, retrievedAt: "2026-04-03T05:30:00.000Z" });
  });
});
