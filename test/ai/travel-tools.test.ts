import type { Tool, ToolSet } from "ai";
import { describe, expect, it } from "vitest";
import { buildTools } from "../../src/ai/tools";
import { findCountry } from "../../src/ai/tools/countries";
import { durationMinutes } from "../../src/ai/tools/flight-search.tool";
import type { ToolConfig } from "../../src/ai/tools/types";
import aeroFlight from "../fixtures/providers/aerodatabox/flight-kl1395-2026-04-03.json";
import duffelError from "../fixtures/providers/duffel/error-422.json";
import offerRequest from "../fixtures/providers/duffel/offer-request-return.json";
import placesEmpty from "../fixtures/providers/duffel/places-suggestions-empty.json";
import placesLisbon from "../fixtures/providers/duffel/places-suggestions-lisbon.json";
import placesLondon from "../fixtures/providers/duffel/places-suggestions-london.json";
import ukAfghanistan from "../fixtures/providers/govuk/foreign-travel-advice-afghanistan.json";
import ukJapan from "../fixtures/providers/govuk/foreign-travel-advice-japan.json";
import holidays2026 from "../fixtures/providers/nager-date/public-holidays-2026-pt.json";
import holidays2027 from "../fixtures/providers/nager-date/public-holidays-2027-pt.json";
import usAdvisories from "../fixtures/providers/state-dept/travel-advisories.json";
import guideDisambiguation from "../fixtures/providers/wikivoyage/summary-disambiguation.json";
import guideLisbon from "../fixtures/providers/wikivoyage/summary-lisbon.json";
import { clientOver, type FakeCall, json, shortTimeouts } from "./fake-fetch";

type Handler = Parameters<typeof clientOver>[0];

const NOW = "2026-04-03T05:30:00.000Z";
const keys: ToolConfig = { DUFFEL_ACCESS_TOKEN: "duffel_test_secret", AERODATABOX_API_KEY: "adb-secret" };

// biome-ignore lint/suspicious/noExplicitAny: tools are exercised with plain JSON inputs, as the SDK would after validation
async function run(tools: ToolSet, name: string, input: any): Promise<any> {
  const tool = tools[name] as Tool | undefined;
  if (!tool?.execute) throw new Error(`tool ${name} is not on`);
  return tool.execute(input, { toolCallId: "call-1", messages: [], context: undefined });
}

function toolsWith(handler: Handler, config: ToolConfig = keys, options: { timeoutMs?: number } = {}) {
  const fake = clientOver(handler, options);
  const tools = buildTools({
    config,
    mode: "chat",
    fetch: fake.http,
    now: () => new Date(NOW),
    cache: null,
    timeoutsMs: shortTimeouts(options.timeoutMs),
  });
  return { tools, calls: fake.calls };
}

const failingWith = (status: number) => () => new Response("internal details", { status });
const hanging = () => new Promise<Response>(() => undefined);
const garbage = () => new Response("<html>not json", { headers: { "content-type": "text/html" } });

/** The four failures every provider gets: a 4xx, a 5xx, a timeout and a body that is not what it should be. */
async function expectToolErrors(name: string, input: unknown, host: string, config: ToolConfig = keys) {
  const client = await run(toolsWith(failingWith(429), config).tools, name, input);
  expect(client.error).toContain(`${host} answered with status 429`);
  expect(JSON.stringify(client)).not.toContain("internal details");
  const server = await run(toolsWith(failingWith(503), config).tools, name, input);
  expect(server.error).toContain("status 503");
  const slow = await run(toolsWith(hanging, config, { timeoutMs: 30 }).tools, name, input);
  expect(slow.error).toMatch(/did not answer/);
  const broken = await run(toolsWith(garbage, config).tools, name, input);
  expect(broken.error).toMatch(/did not answer with valid JSON|sent no/);
  for (const result of [client, server, slow, broken]) {
    expect(Object.keys(result)).toEqual(["error"]);
    expect(JSON.stringify(result)).not.toMatch(/duffel_test_secret|adb-secret/);
  }
}

describe("flight search (Duffel)", () => {
  const duffel: Handler = (call: FakeCall) => {
    if (call.url.pathname === "/places/suggestions") {
      const query = call.url.searchParams.get("query");
      return json(query === "London" ? placesLondon : query === "Lisbon" ? placesLisbon : placesEmpty);
    }
    if (call.url.pathname === "/air/offer_requests") return json(offerRequest, { status: 201 });
    return new Response("unexpected", { status: 599 });
  };
  const input = {
    origin: "London",
    destination: "Lisbon",
    departureDate: "2026-05-14",
    returnDate: "2026-05-21",
    cabin: "economy",
    adults: 2,
    childAges: [7],
  };

  it("resolves city names to airports and sends a return-trip offer request", async () => {
    const { tools, calls } = toolsWith(duffel);
    await run(tools, "flightSearch", input);
    const suggestions = calls.filter((call) => call.url.pathname === "/places/suggestions");
    expect(suggestions.map((call) => call.url.searchParams.get("query")).sort()).toEqual(["Lisbon", "London"]);
    const request = calls.find((call) => call.url.pathname === "/air/offer_requests");
    expect(request?.url.origin).toBe("https://api.duffel.com");
    expect(request?.method).toBe("POST");
    expect(request?.url.searchParams.get("return_offers")).toBe("true");
    expect(request?.url.searchParams.get("supplier_timeout")).toBe("15000");
    for (const call of calls) {
      expect(call.headers.get("authorization")).toBe("Bearer duffel_test_secret");
      expect(call.headers.get("duffel-version")).toBe("v2");
    }
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      data: {
        slices: [
          { origin: "LON", destination: "LIS", departure_date: "2026-05-14" },
          { origin: "LIS", destination: "LON", departure_date: "2026-05-21" },
        ],
        passengers: [{ type: "adult" }, { type: "adult" }, { age: 7 }],
        cabin_class: "economy",
      },
    });
  });

  it("returns the cheapest offer, then the fastest, then the rest by price, with source and retrievedAt", async () => {
    const result = await run(toolsWith(duffel).tools, "flightSearch", input);
    expect(result.origin).toEqual({ code: "LON", name: "London (all airports)" });
    expect(result.destination).toEqual({ code: "LIS", name: "Humberto Delgado Airport (LIS)" });
    expect(result.offersFound).toBe(3);
    expect(result.offers.map((offer: { id: string; label: string | null }) => [offer.id, offer.label])).toEqual([
      ["off_cheap_ib", "cheapest"],
      ["off_fast_ba", "fastest"],
      ["off_mid_tp", null],
    ]);
    expect(result.offers[0]).toMatchObject({
      totalAmount: 142.9,
      currency: "GBP",
      carriers: ["Iberia"],
      totalDurationMinutes: 335 + 370,
      slices: [
        {
          from: "LGW",
          to: "LIS",
          departureLocal: "2026-05-14T06:00:00",
          arrivalLocal: "2026-05-14T11:35:00",
          duration: "PT5H35M",
          durationMinutes: 335,
          stops: 1,
          flights: ["IB3715", "IB3106"],
        },
        { from: "LIS", to: "LGW", stops: 1, durationMinutes: 370 },
      ],
    });
    expect(result.offers[1]).toMatchObject({
      totalAmount: 318.4,
      carriers: ["British Airways"],
      totalDurationMinutes: 335,
    });
    expect(result.source).toEqual({ provider: "Duffel", url: "https://duffel.com/" });
    expect(result.retrievedAt).toBe(NOW);
  });

  it("takes IATA codes as they are, one-way, without a places lookup", async () => {
    const { tools, calls } = toolsWith(duffel);
    const result = await run(tools, "flightSearch", {
      ...input,
      origin: "lhr",
      destination: "LIS",
      returnDate: undefined,
      adults: 1,
      childAges: [],
      maxConnections: 0,
    });
    expect(calls.map((call) => call.url.pathname)).toEqual(["/air/offer_requests"]);
    expect(JSON.parse(calls[0]?.body ?? "{}").data).toMatchObject({
      slices: [{ origin: "LHR", destination: "LIS", departure_date: "2026-05-14" }],
      max_connections: 0,
    });
    expect(result.returnDate).toBeNull();
  });

  it("explains unknown places and impossible dates without an offer request", async () => {
    const { tools, calls } = toolsWith(duffel);
    expect(await run(tools, "flightSearch", { ...input, destination: "Atlantis" })).toEqual({
      error: 'No airport or city called "Atlantis" was found.',
    });
    expect(await run(tools, "flightSearch", { ...input, returnDate: "2026-05-01" })).toEqual({
      error: "The return date is before the departure date.",
    });
    expect(calls.some((call) => call.url.pathname === "/air/offer_requests")).toBe(false);
  });

  it("turns Duffel's 422, a 4xx/5xx, a timeout and a garbage body into tool errors", async () => {
    const rejected = await run(
      toolsWith((call) =>
        call.url.pathname === "/air/offer_requests" ? json(duffelError, { status: 422 }) : duffel(call, {}),
      ).tools,
      "flightSearch",
      input,
    );
    expect(rejected).toEqual({ error: "api.duffel.com answered with status 422" });
    await expectToolErrors("flightSearch", { ...input, origin: "LHR", destination: "LIS" }, "api.duffel.com");
    const noOffers = await run(toolsWith(() => json({ data: {} })).tools, "flightSearch", {
      ...input,
      origin: "LHR",
      destination: "LIS",
    });
    expect(noOffers).toEqual({ error: "api.duffel.com sent no offers" });
  });

  it("reads ISO 8601 durations", () => {
    expect(durationMinutes("PT2H35M")).toBe(155);
    expect(durationMinutes("P1DT2H")).toBe(1560);
    expect(durationMinutes("PT45M")).toBe(45);
    expect(durationMinutes(null)).toBeNull();
    expect(durationMinutes("soon")).toBeNull();
  });
});

describe("flight status (AeroDataBox)", () => {
  const adb: Handler = () => json(aeroFlight);

  it("asks for the flight on its date and reports times, terminals, gates and status", async () => {
    const { tools, calls } = toolsWith(adb);
    const result = await run(tools, "flightStatus", { flightNumber: "KL1395", date: "2026-04-03" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url.origin).toBe("https://aerodatabox.p.rapidapi.com");
    expect(calls[0]?.url.pathname).toBe("/flights/number/KL1395/2026-04-03");
    expect(calls[0]?.headers.get("x-rapidapi-key")).toBe("adb-secret");
    expect(calls[0]?.headers.get("x-rapidapi-host")).toBe("aerodatabox.p.rapidapi.com");
    expect(result).toEqual({
      flightNumber: "KL1395",
      date: "2026-04-03",
      flights: [
        {
          number: "KL 1395",
          airline: "KLM",
          aircraft: "Embraer 195 E2",
          status: "EnRoute",
          departure: {
            airport: { iata: "AMS", name: "Amsterdam Schiphol", timeZone: "Europe/Amsterdam" },
            scheduledLocal: "2026-04-03 09:10+02:00",
            estimatedLocal: null,
            actualLocal: "2026-04-03 09:38+02:00",
            terminal: "2",
            gate: "D7",
          },
          arrival: {
            airport: { iata: "LIS", name: "Lisbon Humberto Delgado", timeZone: "Europe/Lisbon" },
            scheduledLocal: "2026-04-03 11:05+01:00",
            estimatedLocal: "2026-04-03 11:12+01:00",
            actualLocal: null,
            terminal: "1",
            gate: "14",
          },
          lastUpdatedUtc: "2026-04-03 08:15Z",
        },
      ],
      source: { provider: "AeroDataBox", url: "https://aerodatabox.com/" },
      retrievedAt: NOW,
    });
  });

  it("normalises the flight number and says when no flight is found", async () => {
    const { tools, calls } = toolsWith(() => new Response(null, { status: 204 }));
    expect(await run(tools, "flightStatus", { flightNumber: "ba 117", date: "2026-04-03" })).toEqual({
      error: "No flight BA117 was found on 2026-04-03.",
    });
    expect(calls[0]?.url.pathname).toBe("/flights/number/BA117/2026-04-03");
  });

  it("turns a 4xx/5xx, a timeout and a garbage body into tool errors", async () => {
    await expectToolErrors(
      "flightStatus",
      { flightNumber: "KL1395", date: "2026-04-03" },
      "aerodatabox.p.rapidapi.com",
    );
  });
});

describe("travel safety (State Department and FCDO)", () => {
  const advice: Handler = (call) => {
    if (call.url.hostname === "cadataapi.state.gov") return json(usAdvisories);
    if (call.url.pathname === "/api/content/foreign-travel-advice/japan") return json(ukJapan);
    if (call.url.pathname === "/api/content/foreign-travel-advice/afghanistan") return json(ukAfghanistan);
    return new Response("not found", { status: 404 });
  };

  it("reads both sources for a country named in words, with levels, dates and links", async () => {
    const { tools, calls } = toolsWith(advice, {});
    const result = await run(tools, "travelSafety", { country: "Japan" });
    expect(calls.map((call) => call.url.href).sort()).toEqual([
      "https://cadataapi.state.gov/api/TravelAdvisories",
      "https://www.gov.uk/api/content/foreign-travel-advice/japan",
    ]);
    expect(result).toMatchObject({
      country: { name: "Japan", code: "JP" },
      unitedStates: {
        level: 1,
        levelText: "Exercise normal precautions",
        title: "Japan - Level 1: Exercise Normal Precautions",
        lastUpdated: "2025-11-12T19:00:00-05:00",
        url: "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/japan-travel-advisory.html",
        retrievedAt: NOW,
      },
      unitedKingdom: {
        title: "Japan travel advice",
        alerts: [],
        latestChange: "Information on earthquakes and tsunamis ('Safety and security' page).",
        updated: "2026-03-18T14:02:11.000+00:00",
        url: "https://www.gov.uk/foreign-travel-advice/japan",
        entryRequirementsUrl: "https://www.gov.uk/foreign-travel-advice/japan/entry-requirements",
        retrievedAt: NOW,
      },
      source: {
        provider: "US Department of State; UK Foreign, Commonwealth & Development Office",
        url: "https://www.gov.uk/foreign-travel-advice/japan",
      },
      retrievedAt: NOW,
    });
    expect(result.unitedStates.summary).toContain("Exercise normal precautions in Japan.");
    expect(result.unitedStates.summary).not.toContain("<p>");
    expect(result.unitedKingdom.entryRequirements).toContain("You can visit Japan without a visa for up to 90 days.");
  });

  it("takes ISO codes, maps them to the State Department's own codes, and names FCDO alerts", async () => {
    const result = await run(toolsWith(advice, {}).tools, "travelSafety", { country: "af" });
    expect(result.unitedStates).toMatchObject({ level: 4, levelText: "Do not travel" });
    expect(result.unitedKingdom.alerts).toEqual(["FCDO advises against all travel to the whole country"]);
    // Sri Lanka is CE at the State Department, LK in ISO 3166.
    expect(findCountry("LK")).toMatchObject({ name: "Sri Lanka", stateCode: "CE", fcdoSlug: "sri-lanka" });
    const sriLanka = await run(toolsWith(advice, {}).tools, "travelSafety", { country: "LK" });
    expect(sriLanka.unitedStates.level).toBe(2);
    expect(sriLanka.unitedKingdom).toEqual({ error: "www.gov.uk answered with status 404" });
    for (const [query, iso] of [
      ["Ivory Coast", "CI"],
      ["Türkiye", "TR"],
      ["the Netherlands", "NL"],
      ["UK", "GB"],
      ["burma", "MM"],
    ]) {
      expect(findCountry(query as string)?.iso2, query).toBe(iso);
    }
    expect(findCountry("Narnia")).toBeUndefined();
  });

  it("still answers from one source when the other fails, and fails only when both do", async () => {
    const ukOnly = await run(
      toolsWith((call) => (call.url.hostname === "cadataapi.state.gov" ? failingWith(500)() : advice(call, {})), {})
        .tools,
      "travelSafety",
      { country: "Japan" },
    );
    expect(ukOnly.unitedStates).toEqual({ error: "cadataapi.state.gov answered with status 500" });
    expect(ukOnly.unitedKingdom.title).toBe("Japan travel advice");
    await expectToolErrors("travelSafety", { country: "Japan" }, "cadataapi.state.gov", {});
    expect(await run(toolsWith(advice, {}).tools, "travelSafety", { country: "Narnia" })).toEqual({
      error: '"Narnia" is not a country this tool knows.',
    });
  });
});

describe("destination guide (Wikivoyage)", () => {
  it("reads the page summary with a descriptive User-Agent", async () => {
    const { tools, calls } = toolsWith(() => json(guideLisbon), {});
    const result = await run(tools, "destinationGuide", { destination: "Lisbon" });
    expect(calls[0]?.url.href).toBe("https://en.wikivoyage.org/api/rest_v1/page/summary/Lisbon");
    expect(calls[0]?.headers.get("user-agent")).toMatch(/^MyloTravelConcierge\/\S+ \(https:\/\/\S+; .+\)/);
    expect(result).toEqual({
      title: "Lisbon",
      description: "Capital city of Portugal",
      summary: guideLisbon.extract,
      url: "https://en.wikivoyage.org/wiki/Lisbon",
      lastEdited: "2026-02-11T18:22:05Z",
      coordinates: { latitude: 38.7139, longitude: -9.1394 },
      source: { provider: "Wikivoyage (CC BY-SA 4.0)", url: "https://en.wikivoyage.org/wiki/Lisbon" },
      retrievedAt: NOW,
    });
  });

  it("writes titles the way Wikivoyage does and explains missing and ambiguous pages", async () => {
    const missing = toolsWith(
      () => json({ type: "https://mediawiki.org/wiki/HyperSwitch/errors/not_found" }, { status: 404 }),
      {},
    );
    expect(await run(missing.tools, "destinationGuide", { destination: "Isle of Nowhere" })).toEqual({
      error: 'Wikivoyage has no guide called "Isle of Nowhere".',
    });
    expect(missing.calls[0]?.url.pathname).toBe("/api/rest_v1/page/summary/Isle_of_Nowhere");
    expect(
      await run(toolsWith(() => json(guideDisambiguation), {}).tools, "destinationGuide", {
        destination: "Springfield",
      }),
    ).toEqual({
      error: '"Springfield" names several places on Wikivoyage; be more specific.',
    });
  });

  it("turns a 4xx/5xx, a timeout and a garbage body into tool errors", async () => {
    await expectToolErrors("destinationGuide", { destination: "Lisbon" }, "en.wikivoyage.org", {});
  });
});

describe("public holidays (Nager.Date)", () => {
  const nager: Handler = (call) => {
    if (call.url.pathname === "/api/v3/PublicHolidays/2026/PT") return json(holidays2026);
    if (call.url.pathname === "/api/v3/PublicHolidays/2027/PT") return json(holidays2027);
    return new Response(null, { status: 404 });
  };

  it("lists the holidays inside the range, across a new year, from a country's name", async () => {
    const { tools, calls } = toolsWith(nager, {});
    const result = await run(tools, "publicHolidays", { country: "Portugal", from: "2026-12-20", to: "2027-01-05" });
    expect(calls.map((call) => call.url.href)).toEqual([
      "https://date.nager.at/api/v3/PublicHolidays/2026/PT",
      "https://date.nager.at/api/v3/PublicHolidays/2027/PT",
    ]);
    expect(result).toEqual({
      country: { name: "Portugal", code: "PT" },
      from: "2026-12-20",
      to: "2027-01-05",
      holidays: [
        {
          date: "2026-12-25",
          name: "Christmas Day",
          localName: "Natal",
          nationwide: true,
          regions: [],
          types: ["Public"],
        },
        {
          date: "2027-01-01",
          name: "New Year's Day",
          localName: "Ano Novo",
          nationwide: true,
          regions: [],
          types: ["Public"],
        },
      ],
      source: { provider: "Nager.Date", url: "https://date.nager.at/" },
      retrievedAt: NOW,
    });
  });

  it("marks regional holidays and refuses bad ranges and unknown countries", async () => {
    const { tools, calls } = toolsWith(nager, {});
    const june = await run(tools, "publicHolidays", { country: "PT", from: "2026-06-01", to: "2026-06-30" });
    expect(june.holidays).toEqual([
      {
        date: "2026-06-13",
        name: "Saint Anthony's Day",
        localName: "Dia de Santo António",
        nationwide: false,
        regions: ["PT-11"],
        types: ["Public"],
      },
    ]);
    expect(await run(tools, "publicHolidays", { country: "PT", from: "2026-06-30", to: "2026-06-01" })).toEqual({
      error: "The range ends before it starts.",
    });
    expect(await run(tools, "publicHolidays", { country: "PT", from: "2026-01-01", to: "2027-06-01" })).toEqual({
      error: "Ask for at most a year of holidays at a time.",
    });
    expect(await run(tools, "publicHolidays", { country: "Narnia", from: "2026-01-01", to: "2026-01-02" })).toEqual({
      error: '"Narnia" is not a country this tool knows.',
    });
    expect(await run(tools, "publicHolidays", { country: "XK", from: "2026-01-01", to: "2026-01-02" })).toEqual({
      error: "Nager.Date has no public holidays for Kosovo.",
    });
    expect(calls).toHaveLength(2);
  });

  it("turns a 4xx/5xx, a timeout and a garbage body into tool errors", async () => {
    await expectToolErrors(
      "publicHolidays",
      { country: "PT", from: "2026-04-01", to: "2026-04-30" },
      "date.nager.at",
      {},
    );
  });
});

describe("which tools are offered", () => {
  const names = (config: ToolConfig, mode: "chat" | "extreme") =>
    Object.keys(buildTools({ config, mode, fetch: clientOver(() => json({})).http, cache: null }));

  it("offers the keyless travel tools in both modes, and each flight tool exactly when its key is set", () => {
    for (const mode of ["chat", "extreme"] as const) {
      const bare = names({}, mode);
      expect(bare).toEqual(expect.arrayContaining(["travelSafety", "destinationGuide", "publicHolidays", "currency"]));
      expect(bare).not.toContain("flightSearch");
      expect(bare).not.toContain("flightStatus");
      expect(names({ DUFFEL_ACCESS_TOKEN: "t" }, mode)).toContain("flightSearch");
      expect(names({ DUFFEL_ACCESS_TOKEN: "t" }, mode)).not.toContain("flightStatus");
      expect(names({ AERODATABOX_API_KEY: "k" }, mode)).toContain("flightStatus");
      expect(names({ AERODATABOX_API_KEY: "k" }, mode)).not.toContain("flightSearch");
      expect(names(keys, mode)).toEqual(expect.arrayContaining(["flightSearch", "flightStatus"]));
    }
    expect(names({}, "extreme")).toContain("readPage");
    expect(names({}, "chat")).not.toContain("readPage");
  });
});
