import { findCountryIn } from "./tools/countries";

/**
 * The offline model's travel questions: flights, safety and holidays. Each plan names the tool it
 * needs; the model calls it when it is offered and otherwise says what is not configured.
 */
export type TravelPlan =
  | { toolName: "flightStatus"; input: { flightNumber: string; date: string } }
  /** No input: the message names no route, so the model asks for one instead of guessing. */
  | { toolName: "flightSearch"; input: Record<string, unknown> | undefined }
  | { toolName: "travelSafety"; input: { country: string } }
  | { toolName: "publicHolidays"; input: { country: string; from: string; to: string } };

const day = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

const flightWords = /\b(flights?|fly|flying|airfares?|plane tickets?|departures?)\b/i;
const statusWords =
  /\b(status|delayed|delay|on time|land(?:ed|s|ing)?|arriv(?:e|es|al|ing)|gate|terminal|depart(?:ed|s)?)\b/i;
const flightNumber = /\b([A-Z][A-Z0-9]|[A-Z0-9][A-Z])\s?(\d{1,4})\b/;
const safetyWords = /\b(safe|safety|danger(?:ous)?|advisory|advisories|travel advice|entry requirements?|visas?)\b/i;
const holidayWords = /\b(public|bank|national) holidays?\b|\bholidays? in\b/i;
const isoDates = /\b\d{4}-\d{2}-\d{2}\b/g;
const place = "(\\p{Lu}[\\p{L}'’.-]*(?:\\s+\\p{Lu}[\\p{L}'’.-]*){0,2}|[A-Z]{3})";
const fromTo = new RegExp(`\\bfrom\\s+${place}\\s+to\\s+${place}`, "u");
const toFrom = new RegExp(`\\b${place}\\s+to\\s+${place}`, "u");
const notPlaceWords = new Set([
  "Flights",
  "Flight",
  "Fly",
  "Cheap",
  "Cheapest",
  "Direct",
  "Any",
  "Find",
  "Book",
  "Search",
]);

/** A captured place without the words that start a question ("Cheap flights Berlin" → "Berlin"). */
function cleanPlace(value: string | undefined): string | undefined {
  const words = (value ?? "").split(/\s+/).filter((word) => word && !notPlaceWords.has(word));
  return words.length > 0 ? words.join(" ") : undefined;
}

/** What the latest message asks for, when it is one of the travel questions the offline model knows. */
export function planTravel(text: string, now: Date): TravelPlan | undefined {
  const dates = text.match(isoDates) ?? [];
  if (flightWords.test(text) || statusWords.test(text)) {
    const number = flightNumber.exec(text);
    if (number && statusWords.test(text)) {
      return {
        toolName: "flightStatus",
        input: { flightNumber: `${number[1]}${number[2]}`, date: dates[0] ?? day(now) },
      };
    }
    if (flightWords.test(text)) {
      const route = fromTo.exec(text) ?? toFrom.exec(text);
      const origin = cleanPlace(route?.[1]);
      const destination = cleanPlace(route?.[2]);
      if (!origin || !destination) return { toolName: "flightSearch", input: undefined };
      const departure = dates[0] ?? day(addDays(now, 14));
      return {
        toolName: "flightSearch",
        input: {
          origin,
          destination,
          departureDate: departure,
          ...(dates[1] ? { returnDate: dates[1] } : {}),
          cabin: "economy",
          adults: 1,
          childAges: [],
        },
      };
    }
  }
  const country = findCountryIn(text);
  if (country && holidayWords.test(text)) {
    return {
      toolName: "publicHolidays",
      input: { country: country.iso2, from: dates[0] ?? day(now), to: dates[1] ?? day(addDays(now, 60)) },
    };
  }
  if (country && safetyWords.test(text)) return { toolName: "travelSafety", input: { country: country.iso2 } };
  return undefined;
}

/** The reply to a flight question that names no route. */
export const askForRoute =
  'Tell me where you fly from and to (for example "flights from Berlin to Lisbon on 2026-05-14") and I will search.';

/** The reply when the question needs a tool this server has not configured. */
export function notConfigured(toolName: TravelPlan["toolName"]): string {
  if (toolName === "flightSearch") {
    return "Flight search is not configured on this server (it needs DUFFEL_ACCESS_TOKEN), so I cannot look up fares.";
  }
  if (toolName === "flightStatus") {
    return "Flight status is not configured on this server (it needs AERODATABOX_API_KEY), so I cannot check that flight.";
  }
  return `The ${toolName} tool is not available for this reply.`;
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(record) : []);

/** One sentence about a travel tool's result, or undefined for other tools. */
export function describeTravelResult(toolName: string, value: Json): string | undefined {
  if (toolName === "flightSearch") {
    const offers = list(value.offers);
    const first = offers[0];
    if (!first) return "no flight offers";
    const carriers = (first.carriers as string[] | undefined)?.join(", ") ?? "an airline";
    return `${offers.length} flight offers; the cheapest is ${first.totalAmount} ${first.currency} with ${carriers}`;
  }
  if (toolName === "flightStatus") {
    const flight = list(value.flights)[0];
    if (!flight) return "no flight";
    const arrival = record(flight.arrival);
    const when = arrival.actualLocal ?? arrival.estimatedLocal ?? arrival.scheduledLocal;
    return `${flight.number} is ${flight.status}, arriving ${when ?? "at an unknown time"}`;
  }
  if (toolName === "travelSafety") {
    const us = record(value.unitedStates);
    const uk = record(value.unitedKingdom);
    const name = record(value.country).name;
    const usText = typeof us.level === "number" ? `US level ${us.level} (${us.levelText})` : "no US advisory";
    const alerts = list(uk.alerts).length > 0 ? (uk.alerts as string[]).join("; ") : "no FCDO alerts";
    return `${name}: ${usText}; ${alerts}`;
  }
  if (toolName === "publicHolidays") {
    const holidays = list(value.holidays);
    const names = holidays.slice(0, 5).map((holiday) => `${holiday.date} ${holiday.name}`);
    return `${holidays.length} public holidays${names.length > 0 ? `: ${names.join(", ")}` : ""}`;
  }
  if (toolName === "destinationGuide") return `${value.title}: ${value.description ?? value.summary}`;
  return undefined;
}
