import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import { cachedLoad, cacheLifetimes } from "./edge-cache";
import { runTool, ToolInputError } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

/** Frankfurter's current API: reference rates blended from many central banks, not only the ECB's set. */
export const frankfurterEndpoint = "https://api.frankfurter.dev/v2/rates";
const frankfurterSite = "https://frankfurter.dev/";

const currencyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, "a three-letter ISO 4217 code")
  .transform((code) => code.toUpperCase());

export const currencyInputSchema = z.object({
  amount: z.number().positive().max(1e12).default(1).describe("Amount in the source currency"),
  from: currencyCode.describe("Source currency, ISO 4217 (e.g. USD)"),
  to: z.array(currencyCode).min(1).max(10).describe("Target currencies, ISO 4217 (e.g. ['EUR', 'JPY'])"),
});

/** One row of `/v2/rates`: `{ date, base, quote, rate }`. */
interface FrankfurterRate {
  date?: unknown;
  base?: unknown;
  quote?: unknown;
  rate?: unknown;
}

interface Rates {
  date: string | null;
  rates: Record<string, number>;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function parseRates(body: unknown): Rates {
  if (!Array.isArray(body)) throw new OutboundRequestError("BAD_RESPONSE", "api.frankfurter.dev sent no rates");
  const rates: Record<string, number> = {};
  let date: string | null = null;
  for (const row of body as FrankfurterRate[]) {
    if (typeof row?.quote === "string" && typeof row.rate === "number" && Number.isFinite(row.rate)) {
      rates[row.quote.toUpperCase()] = row.rate;
      if (typeof row.date === "string" && (date === null || row.date > date)) date = row.date;
    }
  }
  return { date, rates };
}

export function createCurrencyTool(deps: ToolDeps) {
  const { http, cache } = deps;
  const now = clockOf(deps);
  return tool({
    description:
      "Convert an amount between currencies with daily reference rates from central banks (Frankfurter, 200+ currencies). Reference rates, not the rate a card or exchange office charges.",
    inputSchema: currencyInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("currency", async () => {
        const targets = [...new Set(input.to)].filter((code) => code !== input.from).sort();
        let found: Rates = { date: null, rates: {} };
        let retrievedAt = now().toISOString();
        if (targets.length > 0) {
          const url = new URL(frankfurterEndpoint);
          url.searchParams.set("base", input.from);
          url.searchParams.set("quotes", targets.join(","));
          const loaded = await cachedLoad({ cache, key: url.href, ttlSeconds: cacheLifetimes.rates, now }, async () =>
            parseRates(
              await http.json<unknown>(url, {
                trust: "trusted",
                signal: abortSignal,
                timeoutMs: timeoutFor(deps, "currency"),
              }),
            ),
          );
          found = loaded.value;
          retrievedAt = loaded.retrievedAt;
        }
        const conversions = [...new Set(input.to)].map((currency) => {
          const rate = currency === input.from ? 1 : found.rates[currency];
          if (rate === undefined) throw new ToolInputError(`No reference rate is published for ${currency}.`);
          return { currency, rate, amount: round(input.amount * rate, 4) };
        });
        return {
          amount: input.amount,
          from: input.from,
          date: found.date,
          conversions,
          source: { provider: "Frankfurter (central bank reference rates)", url: frankfurterSite },
          retrievedAt,
        };
      }),
  });
}
