import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import type { HttpClient } from "../../outbound/safe-fetch";
import { type Country, findCountry, normaliseName } from "./countries";
import { cachedLoad, cacheLifetimes, type ToolCache } from "./edge-cache";
import { htmlToText } from "./html-to-text";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

export const stateDeptAdvisoriesUrl = "https://cadataapi.state.gov/api/TravelAdvisories";
export const govUkContentApi = "https://www.gov.uk/api/content/foreign-travel-advice/";
const govUkSite = "https://www.gov.uk/foreign-travel-advice/";

export const travelSafetyInputSchema = z.object({
  country: z
    .string()
    .trim()
    .min(2)
    .max(80)
    .describe("The destination country, by English name ('Japan', 'Ivory Coast') or ISO 3166-1 alpha-2 code ('JP')"),
});

const levelNames: Record<number, string> = {
  1: "Exercise normal precautions",
  2: "Exercise increased caution",
  3: "Reconsider travel",
  4: "Do not travel",
};

const alertNames: Record<string, string> = {
  avoid_all_travel_to_parts: "FCDO advises against all travel to parts of the country",
  avoid_all_travel_to_whole_country: "FCDO advises against all travel to the whole country",
  avoid_all_but_essential_travel_to_parts: "FCDO advises against all but essential travel to parts of the country",
  avoid_all_but_essential_travel_to_whole_country: "FCDO advises against all but essential travel to the whole country",
};

const clip = (html: unknown, maxChars: number) => {
  if (typeof html !== "string" || !html.trim()) return null;
  const { text, truncated } = htmlToText(html, { maxChars });
  return truncated ? `${text}…` : text;
};

interface UsAdvisory {
  title: string;
  link: string | null;
  codes: string[];
  level: number | null;
  updated: string | null;
  summary: string | null;
}

/** The State Department's whole list, kept compact: one request answers every country. */
async function loadUsAdvisories(http: HttpClient, signal: AbortSignal | undefined, timeoutMs: number) {
  const body = await http.json<unknown>(stateDeptAdvisoriesUrl, {
    trust: "trusted",
    signal,
    timeoutMs,
    maxBytes: 8 * 1024 * 1024,
  });
  if (!Array.isArray(body)) throw new OutboundRequestError("BAD_RESPONSE", "cadataapi.state.gov sent no advisories");
  return body.flatMap((item: Record<string, unknown>) => {
    if (typeof item?.Title !== "string") return [];
    const level = /Level\s+([1-4])/i.exec(item.Title)?.[1];
    return [
      {
        title: item.Title,
        link: typeof item.Link === "string" ? item.Link : null,
        codes: Array.isArray(item.Category)
          ? item.Category.filter((code): code is string => typeof code === "string")
          : [],
        level: level ? Number(level) : null,
        updated:
          typeof item.Updated === "string" ? item.Updated : typeof item.Published === "string" ? item.Published : null,
        summary: clip(item.Summary, 700),
      },
    ];
  });
}

function findUsAdvisory(list: UsAdvisory[], country: Country): UsAdvisory | undefined {
  const names = new Set([country.name, ...country.aliases].map(normaliseName));
  const byName = list.find((item) => names.has(normaliseName(item.title.split(/\s+-\s+Level/i)[0] ?? "")));
  if (byName) return byName;
  return country.stateCode ? list.find((item) => item.codes.includes(country.stateCode as string)) : undefined;
}

interface UkAdvice {
  title: string;
  summary: string | null;
  alerts: string[];
  latestChange: string | null;
  updated: string | null;
  entryRequirements: string | null;
}

async function loadUkAdvice(
  http: HttpClient,
  slug: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<UkAdvice> {
  const body = await http.json<Record<string, unknown>>(`${govUkContentApi}${slug}`, {
    trust: "trusted",
    signal,
    timeoutMs,
    maxBytes: 4 * 1024 * 1024,
  });
  const details = (body?.details ?? {}) as Record<string, unknown>;
  if (typeof body?.title !== "string") throw new OutboundRequestError("BAD_RESPONSE", "www.gov.uk sent no advice");
  const parts = Array.isArray(details.parts) ? (details.parts as Array<Record<string, unknown>>) : [];
  const entry = parts.find((part) => part.slug === "entry-requirements");
  const alerts = Array.isArray(details.alert_status) ? (details.alert_status as unknown[]) : [];
  return {
    title: body.title,
    summary: typeof body.description === "string" ? body.description : null,
    alerts: alerts.flatMap((alert) => (typeof alert === "string" ? [alertNames[alert] ?? alert] : [])),
    latestChange: typeof details.change_description === "string" ? details.change_description : null,
    updated: typeof body.public_updated_at === "string" ? body.public_updated_at : null,
    entryRequirements: clip(entry?.body, 900),
  };
}

const failureOf = (error: unknown) =>
  error instanceof OutboundRequestError ? error.message : "The advice could not be read.";

export function createTravelSafetyTool(deps: ToolDeps) {
  const { http } = deps;
  const cache: ToolCache | undefined = deps.cache;
  const now = clockOf(deps);
  const cached = <T>(key: string, load: () => Promise<T>) =>
    cachedLoad({ cache, key, ttlSeconds: cacheLifetimes.advisories, now }, load);
  return tool({
    description:
      "Official travel advice for a country: the US State Department's advisory level (1-4) and the UK FCDO's foreign travel advice with its alerts and entry requirements, each with when it was last updated and a link. Official advice changes: cite the links.",
    inputSchema: travelSafetyInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("travelSafety", async () => {
        const country = findCountry(input.country);
        if (!country) throw new ToolInputError(`"${input.country}" is not a country this tool knows.`);
        const [us, uk] = await Promise.allSettled([
          cached(stateDeptAdvisoriesUrl, () => loadUsAdvisories(http, abortSignal, timeoutFor(deps, "travelSafety"))),
          country.fcdoSlug
            ? cached(`${govUkContentApi}${country.fcdoSlug}`, () =>
                loadUkAdvice(http, country.fcdoSlug as string, abortSignal, timeoutFor(deps, "travelSafety")),
              )
            : Promise.resolve(undefined),
        ]);
        if (us.status === "rejected" && uk.status === "rejected") {
          throw us.reason instanceof OutboundRequestError ? us.reason : uk.reason;
        }
        const usAdvisory = us.status === "fulfilled" ? findUsAdvisory(us.value.value, country) : undefined;
        const unitedStates =
          us.status === "rejected"
            ? { error: failureOf(us.reason) }
            : usAdvisory
              ? {
                  level: usAdvisory.level,
                  levelText: usAdvisory.level ? levelNames[usAdvisory.level] : null,
                  title: usAdvisory.title,
                  summary: usAdvisory.summary,
                  lastUpdated: usAdvisory.updated,
                  url: usAdvisory.link,
                  retrievedAt: us.value.retrievedAt,
                }
              : { error: `The State Department publishes no advisory for ${country.name}.` };
        const ukValue = uk.status === "fulfilled" ? uk.value : undefined;
        const unitedKingdom =
          uk.status === "rejected"
            ? { error: failureOf(uk.reason) }
            : ukValue && country.fcdoSlug
              ? {
                  ...ukValue.value,
                  url: `${govUkSite}${country.fcdoSlug}`,
                  entryRequirementsUrl: `${govUkSite}${country.fcdoSlug}/entry-requirements`,
                  retrievedAt: ukValue.retrievedAt,
                }
              : { error: `The FCDO publishes no foreign travel advice for ${country.name}.` };
        const retrieved = [us.status === "fulfilled" ? us.value.retrievedAt : undefined, ukValue?.retrievedAt].filter(
          (value): value is string => !!value,
        );
        return {
          country: { name: country.name, code: country.iso2 },
          unitedStates,
          unitedKingdom,
          source: {
            provider: "US Department of State; UK Foreign, Commonwealth & Development Office",
            url: (unitedKingdom as { url?: string }).url ?? (unitedStates as { url?: string | null }).url ?? govUkSite,
          },
          retrievedAt: retrieved.sort()[0] ?? now().toISOString(),
        };
      }),
  });
}
