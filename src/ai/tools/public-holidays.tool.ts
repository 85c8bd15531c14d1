import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import { findCountry } from "./countries";
import { cachedLoad, cacheLifetimes } from "./edge-cache";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

export const nagerDateApi = "https://date.nager.at/api/v3/PublicHolidays/";
const maxRangeDays = 366;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

export const publicHolidaysInputSchema = z.object({
  country: z
    .string()
    .trim()
    .min(2)
    .max(80)
    .describe("The country, by ISO 3166-1 alpha-2 code ('PT') or English name ('Portugal')"),
  from: isoDate.describe("First day of the trip or range, YYYY-MM-DD"),
  to: isoDate.describe("Last day of the range, YYYY-MM-DD (at most a year after 'from')"),
});

interface NagerHoliday {
  date?: string;
  localName?: string;
  name?: string;
  global?: boolean;
  counties?: string[] | null;
  types?: string[];
}

interface Holiday {
  date: string;
  name: string;
  localName: string | null;
  nationwide: boolean;
  regions: string[];
  types: string[];
}

function parseHolidays(body: unknown): Holiday[] {
  if (!Array.isArray(body)) throw new OutboundRequestError("BAD_RESPONSE", "date.nager.at sent no holidays");
  return (body as NagerHoliday[]).flatMap((item) =>
    typeof item?.date === "string" && typeof item.name === "string"
      ? [
          {
            date: item.date,
            name: item.name,
            localName: item.localName ?? null,
            nationwide: item.global !== false,
            regions: item.counties ?? [],
            types: item.types ?? [],
          },
        ]
      : [],
  );
}

export function createPublicHolidaysTool(deps: ToolDeps) {
  const { http, cache } = deps;
  const now = clockOf(deps);
  return tool({
    description:
      "Public holidays in a country between two dates (Nager.Date): dates, English and local names, and whether each is nationwide or regional. Useful for closures and busy travel days.",
    inputSchema: publicHolidaysInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("publicHolidays", async () => {
        const country = findCountry(input.country);
        const code = country?.iso2 ?? (/^[A-Za-z]{2}$/.test(input.country) ? input.country.toUpperCase() : undefined);
        if (!code) throw new ToolInputError(`"${input.country}" is not a country this tool knows.`);
        if (input.to < input.from) throw new ToolInputError("The range ends before it starts.");
        if ((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 > maxRangeDays) {
          throw new ToolInputError("Ask for at most a year of holidays at a time.");
        }
        const years = [...new Set([Number(input.from.slice(0, 4)), Number(input.to.slice(0, 4))])];
        const loaded = await Promise.all(
          years.map((year) => {
            const url = `${nagerDateApi}${year}/${code}`;
            return cachedLoad({ cache, key: url, ttlSeconds: cacheLifetimes.holidays, now }, async () => {
              const response = await http.fetch(url, {
                trust: "trusted",
                signal: abortSignal,
                timeoutMs: timeoutFor(deps, "publicHolidays"),
              });
              if (response.status === 404 || response.status === 204) {
                await response.body?.cancel().catch(() => undefined);
                throw new ToolInputError(`Nager.Date has no public holidays for ${country?.name ?? code}.`);
              }
              if (!response.ok) {
                await response.body?.cancel().catch(() => undefined);
                throw new OutboundRequestError("HTTP_STATUS", `date.nager.at answered with status ${response.status}`, {
                  status: response.status,
                });
              }
              try {
                return parseHolidays(JSON.parse(await response.text()));
              } catch (error) {
                if (error instanceof OutboundRequestError) throw error;
                throw new OutboundRequestError("BAD_RESPONSE", "date.nager.at did not answer with valid JSON");
              }
            });
          }),
        );
        const holidays = loaded
          .flatMap((entry) => entry.value)
          .filter((holiday) => holiday.date >= input.from && holiday.date <= input.to)
          .sort((a, b) => a.date.localeCompare(b.date));
        return {
          country: { name: country?.name ?? code, code },
          from: input.from,
          to: input.to,
          holidays,
          source: { provider: "Nager.Date", url: "https://date.nager.at/" },
          retrievedAt: loaded.map((entry) => entry.retrievedAt).sort()[0] ?? now().toISOString(),
        };
      }),
  });
}
