import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ToolCard } from "./tool-card";

const done = (output: unknown) => ({ state: "output-available", input: {}, output });
const source = (provider: string, url: string) => ({
  source: { provider, url },
  retrievedAt: "2026-04-03T05:30:00.000Z",
});
const plain = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

const flights = {
  origin: { code: "LON", name: "London (all airports)" },
  destination: { code: "LIS", name: "Humberto Delgado Airport (LIS)" },
  offers: [
    {
      id: "off_cheap_ib",
      label: "cheapest",
      totalAmount: 142.9,
      currency: "GBP",
      carriers: ["Iberia"],
      slices: [
        {
          from: "LGW",
          to: "LIS",
          departureLocal: "2026-05-14T06:00:00",
          arrivalLocal: "2026-05-14T11:35:00",
          durationMinutes: 335,
          stops: 1,
        },
      ],
    },
    {
      id: "off_fast_ba",
      label: "fastest",
      totalAmount: 318.4,
      currency: "GBP",
      carriers: ["British Airways"],
      slices: [
        {
          from: "LHR",
          to: "LIS",
          departureLocal: "2026-05-14T07:20:00",
          arrivalLocal: "2026-05-14T10:10:00",
          durationMinutes: 170,
          stops: 0,
        },
      ],
    },
  ],
  ...source("Duffel", "https://duffel.com/"),
};

describe("the travel tool cards", () => {
  it("shows flight offers with prices, times, durations and stops", () => {
    const html = renderToString(<ToolCard name="flightSearch" part={done(flights)} />);
    const text = plain(html);
    expect(html).toContain('aria-label="Flights"');
    expect(text).toContain("LON → LIS: 2 offers, from £142.90");
    expect(text).toContain("£142.90 (cheapest) Iberia");
    expect(text).toContain("LGW 14 May, 06:00 → LIS 14 May, 11:35 · 5 h 35 min · 1 stop");
    expect(text).toContain("LHR 14 May, 07:20 → LIS 14 May, 10:10 · 2 h 50 min · direct");
    expect(text).toContain("Source: Duffel");
    expect(html).toContain('href="https://duffel.com/"');
  });

  it("shows a flight's status, times, terminals and gates", () => {
    const output = {
      flights: [
        {
          number: "KL 1395",
          airline: "KLM",
          status: "EnRoute",
          departure: {
            airport: { iata: "AMS" },
            scheduledLocal: "2026-04-03 09:10+02:00",
            estimatedLocal: null,
            actualLocal: "2026-04-03 09:38+02:00",
            terminal: "2",
            gate: "D7",
          },
          arrival: {
            airport: { iata: "LIS" },
            scheduledLocal: "2026-04-03 11:05+01:00",
            estimatedLocal: "2026-04-03 11:12+01:00",
            actualLocal: null,
            terminal: "1",
            gate: null,
          },
        },
      ],
      ...source("AeroDataBox", "https://aerodatabox.com/"),
    };
    const text = plain(renderToString(<ToolCard name="flightStatus" part={done(output)} />));
    expect(text).toContain("Flight status");
    expect(text).toContain("KL 1395: En route");
    expect(text).toContain("Departs AMS scheduled 3 Apr, 09:10, actual 3 Apr, 09:38 (Terminal 2, Gate D7)");
    expect(text).toContain("Arrives LIS scheduled 3 Apr, 11:05, estimated 3 Apr, 11:12 (Terminal 1)");
  });

  it("shows both advisories with their links, and one source's failure beside the other", () => {
    const output = {
      country: { name: "Afghanistan", code: "AF" },
      unitedStates: { level: 4, levelText: "Do not travel", url: "https://travel.state.gov/afghanistan" },
      unitedKingdom: { error: "www.gov.uk answered with status 503" },
      ...source("US Department of State; UK FCDO", "https://travel.state.gov/afghanistan"),
    };
    const html = renderToString(<ToolCard name="travelSafety" part={done(output)} />);
    const text = plain(html);
    expect(text).toContain("Travel safety");
    expect(text).toContain("Afghanistan · US level 4: Do not travel");
    expect(text).toContain("US State Department: Level 4: Do not travel");
    expect(text).toContain("UK FCDO: www.gov.uk answered with status 503");
    expect(html).toContain('href="https://travel.state.gov/afghanistan"');

    const japan = {
      country: { name: "Japan", code: "JP" },
      unitedStates: { level: 1, levelText: "Exercise normal precautions", url: "https://travel.state.gov/japan" },
      unitedKingdom: {
        title: "Japan travel advice",
        alerts: [],
        url: "https://www.gov.uk/foreign-travel-advice/japan",
        entryRequirementsUrl: "https://www.gov.uk/foreign-travel-advice/japan/entry-requirements",
      },
      ...source("US Department of State; UK FCDO", "https://www.gov.uk/foreign-travel-advice/japan"),
    };
    const both = renderToString(<ToolCard name="travelSafety" part={done(japan)} />);
    expect(plain(both)).toContain("Japan · US level 1: Exercise normal precautions · UK: no alerts");
    expect(both).toContain('href="https://www.gov.uk/foreign-travel-advice/japan/entry-requirements"');
  });

  it("lists public holidays, marking regional ones", () => {
    const output = {
      country: { name: "Portugal", code: "PT" },
      from: "2026-06-01",
      to: "2026-06-30",
      holidays: [{ date: "2026-06-13", name: "Saint Anthony's Day", nationwide: false }],
      ...source("Nager.Date", "https://date.nager.at/"),
    };
    const text = plain(renderToString(<ToolCard name="publicHolidays" part={done(output)} />));
    expect(text).toContain("Public holidays");
    expect(text).toContain("Portugal: 1 public holiday from 2026-06-01 to 2026-06-30");
    expect(text).toContain("2026-06-13 Saint Anthony's Day (regional)");
  });

  it("shows the guide's summary with a link to the full guide", () => {
    const output = {
      title: "Lisbon",
      description: "Capital city of Portugal",
      summary: "Lisbon is the capital of Portugal.",
      url: "https://en.wikivoyage.org/wiki/Lisbon",
      ...source("Wikivoyage (CC BY-SA 4.0)", "https://en.wikivoyage.org/wiki/Lisbon"),
    };
    const html = renderToString(<ToolCard name="destinationGuide" part={done(output)} />);
    expect(plain(html)).toContain("Destination guide");
    expect(plain(html)).toContain("Lisbon: Capital city of Portugal");
    expect(plain(html)).toContain("Lisbon is the capital of Portugal.");
    expect(html).toContain('href="https://en.wikivoyage.org/wiki/Lisbon"');
  });

  it("shows running and failed states for the new tools, and never links a non-http URL", () => {
    const running = plain(
      renderToString(<ToolCard name="flightSearch" part={{ state: "input-available", input: {} }} />),
    );
    expect(running).toContain("Running…");
    expect(running).not.toContain("offers");
    const failed = plain(
      renderToString(
        <ToolCard name="flightSearch" part={done({ error: "Flight search is not configured on this server" })} />,
      ),
    );
    expect(failed).toContain("Failed");
    expect(failed).toContain("Flight search is not configured on this server");
    const hostile = renderToString(
      <ToolCard name="destinationGuide" part={done({ title: "X", summary: "", url: "javascript:alert(1)" })} />,
    );
    expect(hostile).not.toContain("javascript:");
  });
});
