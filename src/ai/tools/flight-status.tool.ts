import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

export const aeroDataBoxHost = "aerodatabox.p.rapidapi.com";

export const flightStatusInputSchema = z.object({
  flightNumber: z
    .string()
    .trim()
    .transform((value) => value.replace(/\s+/g, "").toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{2,3}\d{1,4}[A-Z]?$/, "a flight number such as BA117 or KL1395"))
    .describe("Airline code and number, e.g. 'BA117' or 'KL 1395'"),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
    .describe("The flight's local departure date, YYYY-MM-DD"),
});

interface MovementTime {
  utc?: string;
  local?: string;
}

interface Movement {
  airport?: { iata?: string; icao?: string; name?: string; municipalityName?: string; timeZone?: string };
  scheduledTime?: MovementTime;
  revisedTime?: MovementTime;
  predictedTime?: MovementTime;
  runwayTime?: MovementTime;
  terminal?: string;
  gate?: string;
  baggageBelt?: string;
}

interface AeroFlight {
  number?: string;
  status?: string;
  airline?: { name?: string; iata?: string };
  aircraft?: { model?: string };
  departure?: Movement;
  arrival?: Movement;
  lastUpdatedUtc?: string;
}

const departedStatuses = new Set(["Departed", "EnRoute", "Approaching", "Arrived", "Diverted"]);

function movement(item: Movement | undefined, happened: boolean) {
  const revised = item?.revisedTime?.local ?? null;
  return {
    airport: item?.airport
      ? {
          iata: item.airport.iata ?? null,
          name: item.airport.name ?? item.airport.municipalityName ?? null,
          timeZone: item.airport.timeZone ?? null,
        }
      : null,
    scheduledLocal: item?.scheduledTime?.local ?? null,
    // AeroDataBox's revised time is an estimate until the movement happens, then the actual time.
    estimatedLocal: happened ? null : (revised ?? item?.predictedTime?.local ?? null),
    actualLocal: happened ? (item?.runwayTime?.local ?? revised) : null,
    terminal: item?.terminal ?? null,
    gate: item?.gate ?? null,
    ...(item?.baggageBelt ? { baggageBelt: item.baggageBelt } : {}),
  };
}

export function createFlightStatusTool(deps: ToolDeps, apiKey: string) {
  const { http } = deps;
  const now = clockOf(deps);
  return tool({
    description:
      "Status of one flight on a date (AeroDataBox): scheduled, estimated and actual departure and arrival times (local), terminals, gates and status (e.g. Expected, Boarding, Departed, Arrived, Canceled).",
    inputSchema: flightStatusInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("flightStatus", async () => {
        // The schema normalises too; this keeps a raw call (a replayed step) as strict.
        const flightNumber = input.flightNumber.replace(/\s+/g, "").toUpperCase();
        const url = new URL(
          `https://${aeroDataBoxHost}/flights/number/${encodeURIComponent(flightNumber)}/${input.date}`,
        );
        url.searchParams.set("withAircraftImage", "false");
        url.searchParams.set("withLocation", "false");
        const response = await http.fetch(url, {
          trust: "trusted",
          headers: { "x-rapidapi-key": apiKey, "x-rapidapi-host": aeroDataBoxHost, accept: "application/json" },
          signal: abortSignal,
          timeoutMs: timeoutFor(deps, "flightStatus"),
        });
        if (response.status === 204 || response.status === 404) {
          await response.body?.cancel().catch(() => undefined);
          throw new ToolInputError(`No flight ${flightNumber} was found on ${input.date}.`);
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new OutboundRequestError("HTTP_STATUS", `${aeroDataBoxHost} answered with status ${response.status}`, {
            status: response.status,
          });
        }
        let body: unknown;
        try {
          body = JSON.parse(await response.text());
        } catch {
          throw new OutboundRequestError("BAD_RESPONSE", `${aeroDataBoxHost} did not answer with valid JSON`);
        }
        if (!Array.isArray(body)) throw new OutboundRequestError("BAD_RESPONSE", `${aeroDataBoxHost} sent no flights`);
        const flights = (body as AeroFlight[]).slice(0, 4).map((flight) => {
          const status = flight.status ?? "Unknown";
          return {
            number: flight.number ?? flightNumber,
            airline: flight.airline?.name ?? null,
            aircraft: flight.aircraft?.model ?? null,
            status,
            departure: movement(flight.departure, departedStatuses.has(status)),
            arrival: movement(flight.arrival, status === "Arrived"),
            lastUpdatedUtc: flight.lastUpdatedUtc ?? null,
          };
        });
        if (flights.length === 0) throw new ToolInputError(`No flight ${flightNumber} was found on ${input.date}.`);
        return {
          flightNumber,
          date: input.date,
          flights,
          source: { provider: "AeroDataBox", url: "https://aerodatabox.com/" },
          retrievedAt: now().toISOString(),
        };
      }),
  });
}
