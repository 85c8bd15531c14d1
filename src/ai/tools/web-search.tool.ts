import { tool } from "ai";
import { z } from "zod";
import type { HttpClient } from "../../outbound/safe-fetch";
import { runTool } from "./tool-result";
import type { ToolConfig, ToolDeps } from "./types";

export type SearchProviderName = "tavily" | "exa" | "brave" | "searxng";

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  publishedDate: string | null;
}

interface SearchRequest {
  query: string;
  limit: number;
  signal?: AbortSignal;
}

export interface SearchProvider {
  name: SearchProviderName;
  search(http: HttpClient, request: SearchRequest): Promise<SearchResult[]>;
}

export const searchEndpoints = {
  tavily: "https://api.tavily.com/search",
  exa: "https://api.exa.ai/search",
  brave: "https://api.search.brave.com/res/v1/web/search",
};

const clip = (text: unknown, max = 500) => {
  const value = typeof text === "string" ? text.replace(/\s+/g, " ").trim() : "";
  return value.length > max ? `${value.slice(0, max)}…` : value;
};

const asResult = (item: { title?: unknown; url?: unknown; snippet?: unknown; date?: unknown }) =>
  typeof item.url === "string"
    ? {
        title: clip(item.title, 200) || item.url,
        url: item.url,
        snippet: clip(item.snippet),
        publishedDate: typeof item.date === "string" ? item.date : null,
      }
    : undefined;

const present = <T>(value: T | undefined): value is T => value !== undefined;

/** The configured search provider, in the documented order of preference, or undefined when search is off. */
export function searchProviderFor(config: ToolConfig): SearchProvider | undefined {
  if (config.TAVILY_API_KEY) {
    const key = config.TAVILY_API_KEY;
    return {
      name: "tavily",
      async search(http, { query, limit, signal }) {
        const body = await http.json<{ results?: Array<Record<string, unknown>> }>(searchEndpoints.tavily, {
          trust: "trusted",
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ query, max_results: limit, search_depth: "basic" }),
          signal,
        });
        return (body.results ?? [])
          .map((item) =>
            asResult({ title: item.title, url: item.url, snippet: item.content, date: item.published_date }),
          )
          .filter(present);
      },
    };
  }
  if (config.EXA_API_KEY) {
    const key = config.EXA_API_KEY;
    return {
      name: "exa",
      async search(http, { query, limit, signal }) {
        const body = await http.json<{ results?: Array<Record<string, unknown>> }>(searchEndpoints.exa, {
          trust: "trusted",
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify({ query, numResults: limit, contents: { text: { maxCharacters: 600 } } }),
          signal,
        });
        return (body.results ?? [])
          .map((item) =>
            asResult({
              title: item.title,
              url: item.url,
              snippet: item.text ?? item.summary,
              date: item.publishedDate,
            }),
          )
          .filter(present);
      },
    };
  }
  if (config.BRAVE_SEARCH_API_KEY) {
    const key = config.BRAVE_SEARCH_API_KEY;
    return {
      name: "brave",
      async search(http, { query, limit, signal }) {
        const url = new URL(searchEndpoints.brave);
        url.searchParams.set("q", query);
        url.searchParams.set("count", String(limit));
        const body = await http.json<{ web?: { results?: Array<Record<string, unknown>> } }>(url, {
          trust: "trusted",
          headers: { "x-subscription-token": key },
          signal,
        });
        return (body.web?.results ?? [])
          .map((item) => asResult({ title: item.title, url: item.url, snippet: item.description, date: item.age }))
          .filter(present);
      },
    };
  }
  if (config.SEARXNG_URL) {
    const base = config.SEARXNG_URL;
    return {
      name: "searxng",
      async search(http, { query, limit, signal }) {
        const url = new URL("search", base.endsWith("/") ? base : `${base}/`);
        url.searchParams.set("q", query);
        url.searchParams.set("format", "json");
        const body = await http.json<{ results?: Array<Record<string, unknown>> }>(url, { trust: "trusted", signal });
        return (body.results ?? [])
          .map((item) =>
            asResult({ title: item.title, url: item.url, snippet: item.content, date: item.publishedDate }),
          )
          .filter(present)
          .slice(0, limit);
      },
    };
  }
  return undefined;
}

export const webSearchInputSchema = z.object({
  query: z.string().trim().min(1).max(400).describe("What to search the web for"),
  limit: z.number().int().min(1).max(10).default(5),
});

export function createWebSearchTool({ http }: ToolDeps, provider: SearchProvider) {
  return tool({
    description:
      "Search the web for current information (opening hours, events, prices, travel advisories, routes). Returns titles, URLs and snippets; cite the URLs you use.",
    inputSchema: webSearchInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("webSearch", async () => {
        const results = await provider.search(http, { query: input.query, limit: input.limit, signal: abortSignal });
        return { query: input.query, provider: provider.name, results };
      }),
  });
}
