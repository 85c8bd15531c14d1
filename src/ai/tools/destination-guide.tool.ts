import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import { cachedLoad, cacheLifetimes } from "./edge-cache";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

export const wikivoyageSummaryApi = "https://en.wikivoyage.org/api/rest_v1/page/summary/";
/** Wikimedia asks API clients to name themselves and say how to reach their operator. */
export const wikimediaUserAgent =
  "MyloTravelConcierge/0.1 (https://github.com/mylo-travel; destination guides for travellers) mylo-http";

export const destinationGuideInputSchema = z.object({
  destination: z
    .string()
    .trim()
    .min(2)
    .max(120)
    .describe("A destination as Wikivoyage titles it: a city, region or country ('Lisbon', 'Kyoto', 'Isle of Skye')"),
});

interface SummaryResponse {
  type?: string;
  title?: string;
  description?: string;
  extract?: string;
  timestamp?: string;
  coordinates?: { lat?: number; lon?: number };
  content_urls?: { desktop?: { page?: string } };
}

interface Guide {
  title: string;
  description: string | null;
  summary: string;
  url: string;
  lastEdited: string | null;
  coordinates: { latitude: number; longitude: number } | null;
}

const titleOf = (destination: string) => encodeURIComponent(destination.replace(/\s+/g, "_"));

export function createDestinationGuideTool(deps: ToolDeps) {
  const { http, cache } = deps;
  const now = clockOf(deps);
  return tool({
    description:
      "A short travel-guide summary of a destination from Wikivoyage (the free, community-written travel guide), with a link to the full guide.",
    inputSchema: destinationGuideInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("destinationGuide", async () => {
        const url = `${wikivoyageSummaryApi}${titleOf(input.destination)}`;
        const loaded = await cachedLoad(
          { cache, key: url, ttlSeconds: cacheLifetimes.guides, now },
          async (): Promise<Guide> => {
            const response = await http.fetch(url, {
              trust: "trusted",
              headers: {
                "user-agent": wikimediaUserAgent,
                "api-user-agent": wikimediaUserAgent,
                accept: "application/json",
              },
              signal: abortSignal,
              timeoutMs: timeoutFor(deps, "destinationGuide"),
            });
            if (response.status === 404) {
              await response.body?.cancel().catch(() => undefined);
              throw new ToolInputError(`Wikivoyage has no guide called "${input.destination}".`);
            }
            if (!response.ok) {
              await response.body?.cancel().catch(() => undefined);
              throw new OutboundRequestError(
                "HTTP_STATUS",
                `en.wikivoyage.org answered with status ${response.status}`,
                {
                  status: response.status,
                },
              );
            }
            let body: SummaryResponse;
            try {
              body = JSON.parse(await response.text()) as SummaryResponse;
            } catch {
              throw new OutboundRequestError("BAD_RESPONSE", "en.wikivoyage.org did not answer with valid JSON");
            }
            if (typeof body.extract !== "string" || typeof body.title !== "string") {
              throw new OutboundRequestError("BAD_RESPONSE", "en.wikivoyage.org sent no summary");
            }
            if (body.type === "disambiguation") {
              throw new ToolInputError(`"${input.destination}" names several places on Wikivoyage; be more specific.`);
            }
            const { lat, lon } = body.coordinates ?? {};
            return {
              title: body.title,
              description: body.description ?? null,
              summary: body.extract,
              url: body.content_urls?.desktop?.page ?? `https://en.wikivoyage.org/wiki/${titleOf(body.title)}`,
              lastEdited: body.timestamp ?? null,
              coordinates:
                typeof lat === "number" && typeof lon === "number" ? { latitude: lat, longitude: lon } : null,
            };
          },
        );
        return {
          ...loaded.value,
          source: { provider: "Wikivoyage (CC BY-SA 4.0)", url: loaded.value.url },
          retrievedAt: loaded.retrievedAt,
        };
      }),
  });
}
