import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import type { HttpClient } from "../../outbound/safe-fetch";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

export const duffelApi = "https://api.duffel.com";
/** How long Duffel may wait for airlines; offers that arrive later are left out. */
export const duffelSupplierTimeoutMs = 15_000;
const offersShown = 5;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

export const flightSearchInputSchema = z.object({
  origin: z
    .string()
    .trim()
    .min(2)
    .max(80)
    .describe("Where the trip starts: a city or airport name ('London', 'Heathrow') or an IATA code ('LON', 'LHR')"),
  destination: z
    .string()
    .trim()
    .min(2)
    .max(80)
    .describe("Where the trip goes: a city or airport name, or an IATA code"),
  departureDate: isoDate.describe("Outbound date, YYYY-MM-DD"),
  returnDate: isoDate.optional().describe("Return date, YYYY-MM-DD, for a return trip; leave out for one-way"),
  cabin: z.enum(["economy", "premium_economy", "business", "first"]).default("economy").describe("Cabin class"),
  adults: z.number().int().min(1).max(9).default(1).describe("Travellers aged 18 or over"),
  childAges: z.array(z.number().int().min(0).max(17)).max(8).default([]).describe("Ages of travellers under 18"),
  maxConnections: z
    .number()
    .int()
    .min(0)
    .max(2)
    .optional()
    .describe("Most connections per direction (0 = direct only)"),
});

type FlightSearchInput = z.output<typeof flightSearchInputSchema>;

interface DuffelPlace {
  type?: string;
  iata_code?: string;
  iata_city_code?: string | null;
  name?: string;
  city_name?: string | null;
}

interface DuffelSegment {
  departing_at?: string;
  arriving_at?: string;
  origin?: DuffelPlace;
  destination?: DuffelPlace;
  marketing_carrier?: { name?: string; iata_code?: string };
  operating_carrier?: { name?: string; iata_code?: string };
  marketing_carrier_flight_number?: string;
  duration?: string | null;
}

interface DuffelOffer {
  id?: string;
  total_amount?: string;
  total_currency?: string;
  expires_at?: string;
  owner?: { name?: string; iata_code?: string };
  slices?: Array<{
    origin?: DuffelPlace;
    destination?: DuffelPlace;
    duration?: string | null;
    segments?: DuffelSegment[];
  }>;
}

/** An ISO 8601 duration such as PT2H35M or P1DT3H, in minutes. */
export function durationMinutes(iso: string | null | undefined): number | null {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso ?? "");
  if (!match) return null;
  const [, days = "0", hours = "0", minutes = "0"] = match;
  return Number(days) * 1440 + Number(hours) * 60 + Number(minutes);
}

const duffelHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  "duffel-version": "v2",
  accept: "application/json",
});

/** An IATA code as given, or the first city or airport Duffel suggests for a name. */
async function resolvePlace(
  http: HttpClient,
  token: string,
  query: string,
  options: { signal?: AbortSignal; timeoutMs: number },
) {
  if (/^[A-Za-z]{3}$/.test(query)) return { code: query.toUpperCase(), name: query.toUpperCase() };
  const url = new URL("/places/suggestions", duffelApi);
  url.searchParams.set("query", query);
  const body = await http.json<{ data?: DuffelPlace[] }>(url, {
    trust: "trusted",
    headers: duffelHeaders(token),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
  const place = (body.data ?? []).find((item) => typeof item.iata_code === "string");
  if (!place?.iata_code) throw new ToolInputError(`No airport or city called "${query}" was found.`);
  const name =
    place.type === "airport" ? `${place.name} (${place.iata_code})` : `${place.name ?? query} (all airports)`;
  return { code: place.iata_code, name };
}

function summariseOffer(offer: DuffelOffer) {
  const slices = (offer.slices ?? []).map((slice) => {
    const segments = slice.segments ?? [];
    const first = segments[0];
    const last = segments[segments.length - 1];
    return {
      from: first?.origin?.iata_code ?? slice.origin?.iata_code ?? null,
      to: last?.destination?.iata_code ?? slice.destination?.iata_code ?? null,
      departureLocal: first?.departing_at ?? null,
      arrivalLocal: last?.arriving_at ?? null,
      duration: slice.duration ?? null,
      durationMinutes: durationMinutes(slice.duration),
      stops: Math.max(0, segments.length - 1),
      flights: segments.map((segment) =>
        `${segment.marketing_carrier?.iata_code ?? ""}${segment.marketing_carrier_flight_number ?? ""}`.trim(),
      ),
    };
  });
  const carriers = new Set<string>();
  for (const slice of offer.slices ?? []) {
    for (const segment of slice.segments ?? []) {
      const name = segment.operating_carrier?.name ?? segment.marketing_carrier?.name;
      if (name) carriers.add(name);
    }
  }
  const minutes = slices.map((slice) => slice.durationMinutes);
  return {
    id: offer.id ?? null,
    totalAmount: Number(offer.total_amount),
    currency: offer.total_currency ?? null,
    carriers: carriers.size > 0 ? [...carriers] : [offer.owner?.name].filter((name): name is string => !!name),
    totalDurationMinutes: minutes.every((value) => value !== null) ? minutes.reduce((a, b) => a + (b ?? 0), 0) : null,
    slices,
    expiresAt: offer.expires_at ?? null,
  };
}

type OfferSummary = ReturnType<typeof summariseOffer>;

/** The cheapest offer, then the fastest, then the next cheapest: a few, each once. */
export function pickOffers(offers: OfferSummary[], count = offersShown) {
  const priced = offers.filter((offer) => Number.isFinite(offer.totalAmount));
  const byPrice = [...priced].sort((a, b) => a.totalAmount - b.totalAmount);
  const byTime = [...priced]
    .filter((offer) => offer.totalDurationMinutes !== null)
    .sort((a, b) => (a.totalDurationMinutes ?? 0) - (b.totalDurationMinutes ?? 0) || a.totalAmount - b.totalAmount);
  const picked: Array<OfferSummary & { label: "cheapest" | "fastest" | "cheapest and fastest" | null }> = [];
  const add = (offer: OfferSummary | undefined, label: "cheapest" | "fastest" | null) => {
    if (!offer || picked.length >= count) return;
    const existing = picked.find((item) => item === offer || (item.id !== null && item.id === offer.id));
    if (existing) {
      if (label === "fastest" && existing.label === "cheapest") existing.label = "cheapest and fastest";
      return;
    }
    picked.push({ ...offer, label });
  };
  add(byPrice[0], "cheapest");
  add(byTime[0], "fastest");
  for (const offer of byPrice) add(offer, null);
  return picked;
}

function passengersOf(input: FlightSearchInput) {
  return [
    ...Array.from({ length: input.adults }, () => ({ type: "adult" })),
    ...input.childAges.map((age) => ({ age })),
  ];
}

export function createFlightSearchTool(deps: ToolDeps, token: string) {
  const { http } = deps;
  const now = clockOf(deps);
  return tool({
    description:
      "Search live flight offers (Duffel) for a one-way or return trip: the best few offers, cheapest and fastest first, with total price, carriers, stops, local departure and arrival times and durations. Prices change quickly and nothing is booked.",
    inputSchema: flightSearchInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("flightSearch", async () => {
        if (input.returnDate && input.returnDate < input.departureDate) {
          throw new ToolInputError("The return date is before the departure date.");
        }
        const places = { signal: abortSignal, timeoutMs: timeoutFor(deps, "flightPlaces") };
        const [origin, destination] = await Promise.all([
          resolvePlace(http, token, input.origin, places),
          resolvePlace(http, token, input.destination, places),
        ]);
        const slices = [{ origin: origin.code, destination: destination.code, departure_date: input.departureDate }];
        if (input.returnDate) {
          slices.push({ origin: destination.code, destination: origin.code, departure_date: input.returnDate });
        }
        const url = new URL("/air/offer_requests", duffelApi);
        url.searchParams.set("return_offers", "true");
        url.searchParams.set("supplier_timeout", String(duffelSupplierTimeoutMs));
        const body = await http.json<{ data?: { id?: string; offers?: DuffelOffer[] } }>(url, {
          trust: "trusted",
          method: "POST",
          headers: { ...duffelHeaders(token), "content-type": "application/json" },
          body: JSON.stringify({
            data: {
              slices,
              passengers: passengersOf(input),
              cabin_class: input.cabin,
              ...(input.maxConnections === undefined ? {} : { max_connections: input.maxConnections }),
            },
          }),
          signal: abortSignal,
          timeoutMs: timeoutFor(deps, "flightSearch"),
          maxBytes: 16 * 1024 * 1024,
        });
        if (!body?.data || !Array.isArray(body.data.offers)) {
          throw new OutboundRequestError("BAD_RESPONSE", "api.duffel.com sent no offers");
        }
        return {
          origin,
          destination,
          departureDate: input.departureDate,
          returnDate: input.returnDate ?? null,
          cabin: input.cabin,
          passengers: input.adults + input.childAges.length,
          offersFound: body.data.offers.length,
          offers: pickOffers(body.data.offers.map(summariseOffer)),
          source: { provider: "Duffel", url: "https://duffel.com/" },
          retrievedAt: now().toISOString(),
        };
      }),
  });
}
