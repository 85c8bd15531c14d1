import type { ToolSet } from "ai";
import { createHttpClient, type HttpClient } from "../../outbound/safe-fetch";
import { appHostsOf } from "../../outbound/url-policy";
import type { ChatMode } from "../modes";
import { createCurrencyTool } from "./currency.tool";
import { createDestinationGuideTool } from "./destination-guide.tool";
import { defaultToolCache, type ToolCache } from "./edge-cache";
import { createFlightSearchTool } from "./flight-search.tool";
import { createFlightStatusTool } from "./flight-status.tool";
import { createLocalTimeTool } from "./local-time.tool";
import { createPlacesTool } from "./places.tool";
import { createPublicHolidaysTool } from "./public-holidays.tool";
import { createReadPageTool } from "./read-page.tool";
import { createTravelSafetyTool } from "./travel-safety.tool";
import type { ToolConfig, ToolDeps } from "./types";
import { createWeatherTool } from "./weather.tool";
import { createWebSearchTool, searchProviderFor } from "./web-search.tool";

export type ToolName =
  | "weather"
  | "currency"
  | "places"
  | "localTime"
  | "webSearch"
  | "readPage"
  | "flightSearch"
  | "flightStatus"
  | "travelSafety"
  | "destinationGuide"
  | "publicHolidays";

const travelTools = ["flightSearch", "flightStatus", "travelSafety", "destinationGuide", "publicHolidays"] as const;

/** Which tools each mode offers (when their provider is configured). */
export const toolsByMode: Record<ChatMode, readonly ToolName[]> = {
  chat: ["weather", "currency", "places", "localTime", "webSearch", ...travelTools],
  extreme: ["weather", "currency", "places", "localTime", "webSearch", "readPage", ...travelTools],
};

export interface BuildToolsOptions {
  config: ToolConfig;
  mode: ChatMode;
  /** The outbound client every tool uses; tests pass one over a fake fetch. */
  fetch?: HttpClient;
  now?: () => Date;
  /**
   * Where rates, advisories, holidays and guides are kept between requests. Unset: the Workers
   * default cache (`caches.default`); null: no caching.
   */
  cache?: ToolCache | null;
  /** Shorter per-tool timeouts, for tests. */
  timeoutsMs?: ToolDeps["timeoutsMs"];
}

/**
 * The tools on for this configuration and mode. A tool whose provider is not configured is left out,
 * so the model is never offered it.
 */
export function buildTools({ config, mode, fetch, now, cache, timeoutsMs }: BuildToolsOptions): ToolSet {
  const deps: ToolDeps = {
    http: fetch ?? createHttpClient({ ownHosts: appHostsOf(config) }),
    config,
    now,
    cache: cache === null ? undefined : (cache ?? defaultToolCache()),
    timeoutsMs,
  };
  const search = searchProviderFor(config);
  const duffel = config.DUFFEL_ACCESS_TOKEN;
  const aeroDataBox = config.AERODATABOX_API_KEY;
  const factories: Record<ToolName, () => ToolSet[string] | undefined> = {
    weather: () => createWeatherTool(deps),
    currency: () => createCurrencyTool(deps),
    places: () => createPlacesTool(deps),
    localTime: () => createLocalTimeTool(deps),
    webSearch: () => (search ? createWebSearchTool(deps, search) : undefined),
    readPage: () => createReadPageTool(deps),
    flightSearch: () => (duffel ? createFlightSearchTool(deps, duffel) : undefined),
    flightStatus: () => (aeroDataBox ? createFlightStatusTool(deps, aeroDataBox) : undefined),
    travelSafety: () => createTravelSafetyTool(deps),
    destinationGuide: () => createDestinationGuideTool(deps),
    publicHolidays: () => createPublicHolidaysTool(deps),
  };
  const tools: ToolSet = {};
  for (const name of toolsByMode[mode]) {
    const built = factories[name]();
    if (built) tools[name] = built;
  }
  return tools;
}

export { searchProviderFor } from "./web-search.tool";
