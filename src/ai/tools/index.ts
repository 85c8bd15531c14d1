import type { ToolSet } from "ai";
import { createHttpClient, type HttpClient } from "../http/safe-fetch";
import { appHostsOf } from "../http/url-policy";
import type { ChatMode } from "../modes";
import { createCurrencyTool } from "./currency.tool";
import { createLocalTimeTool } from "./local-time.tool";
import { createPlacesTool } from "./places.tool";
import { createReadPageTool } from "./read-page.tool";
import type { ToolConfig } from "./types";
import { createWeatherTool } from "./weather.tool";
import { createWebSearchTool, searchProviderFor } from "./web-search.tool";

export type ToolName = "weather" | "currency" | "places" | "localTime" | "webSearch" | "readPage";

/** Which tools each mode offers (when their provider is configured). */
export const toolsByMode: Record<ChatMode, readonly ToolName[]> = {
  chat: ["weather", "currency", "places", "localTime", "webSearch"],
  extreme: ["weather", "currency", "places", "localTime", "webSearch", "readPage"],
};

export interface BuildToolsOptions {
  config: ToolConfig;
  mode: ChatMode;
  /** The outbound client every tool uses; tests pass one over a fake fetch. */
  fetch?: HttpClient;
  now?: () => Date;
}

/**
 * The tools on for this configuration and mode. A tool whose provider is not configured is left out,
 * so the model is never offered it.
 */
export function buildTools({ config, mode, fetch, now }: BuildToolsOptions): ToolSet {
  const deps = { http: fetch ?? createHttpClient({ ownHosts: appHostsOf(config) }), config, now };
  const search = searchProviderFor(config);
  const factories: Record<ToolName, () => ToolSet[string] | undefined> = {
    weather: () => createWeatherTool(deps),
    currency: () => createCurrencyTool(deps),
    places: () => createPlacesTool(deps),
    localTime: () => createLocalTimeTool(deps),
    webSearch: () => (search ? createWebSearchTool(deps, search) : undefined),
    readPage: () => createReadPageTool(deps),
  };
  const tools: ToolSet = {};
  for (const name of toolsByMode[mode]) {
    const built = factories[name]();
    if (built) tools[name] = built;
  }
  return tools;
}

export { searchProviderFor } from "./web-search.tool";
