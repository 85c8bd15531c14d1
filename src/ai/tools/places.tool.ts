import { tool } from "ai";
import { z } from "zod";
import { openMeteoEndpointsFor, searchPlaces } from "./open-meteo";
import { runTool } from "./tool-result";
import type { ToolDeps } from "./types";

export const placesInputSchema = z.object({
  query: z.string().trim().min(1).max(120).describe("Place name to look up, e.g. 'Porto' or 'Hakone'"),
  limit: z.number().int().min(1).max(10).default(5),
});

export function createPlacesTool({ http, config }: ToolDeps) {
  return tool({
    description:
      "Find places by name: coordinates, country, region, IANA time zone and population (Open-Meteo geocoding). Use it to disambiguate a place or get its time zone.",
    inputSchema: placesInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("places", async () => {
        const endpoints = openMeteoEndpointsFor(config);
        const places = await searchPlaces(http, input.query, {
          count: input.limit,
          signal: abortSignal,
          endpoint: endpoints.geocoding,
          apiKey: endpoints.apiKey,
        });
        return { query: input.query, places, source: "Open-Meteo geocoding (GeoNames)" };
      }),
  });
}
