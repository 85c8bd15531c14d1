import { tool } from "ai";
import { z } from "zod";
import { runTool, ToolInputError } from "./tool-result";
import type { ToolDeps } from "./types";

export const frankfurterEndpoint = "https://api.frankfurter.dev/v1/latest";

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

interface FrankfurterResponse {
  base?: string;
  date?: string;
  rates?: Record<string, number>;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function createCurrencyTool({ http }: ToolDeps) {
  return tool({
    description:
      "Convert an amount between currencies with the European Central Bank reference rates (Frankfurter). Rates are published once per working day.",
    inputSchema: currencyInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("currency", async () => {
        const targets = [...new Set(input.to)].filter((code) => code !== input.from);
        const url = new URL(frankfurterEndpoint);
        url.searchParams.set("base", input.from);
        let rates: Record<string, number> = {};
        let date: string | null = null;
        if (targets.length > 0) {
          url.searchParams.set("symbols", targets.join(","));
          const body = await http.json<FrankfurterResponse>(url, { trust: "trusted", signal: abortSignal });
          rates = body.rates ?? {};
          date = body.date ?? null;
        }
        const conversions = [...new Set(input.to)].map((currency) => {
          const rate = currency === input.from ? 1 : rates[currency];
          if (rate === undefined) throw new ToolInputError(`No ECB rate is published for ${currency}.`);
          return { currency, rate, amount: round(input.amount * rate, 4) };
        });
        return {
          amount: input.amount,
          from: input.from,
          date,
          conversions,
          source: "European Central Bank via Frankfurter",
        };
      }),
  });
}
