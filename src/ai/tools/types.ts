import type { Config } from "../../env";
import type { HttpClient } from "../../outbound/safe-fetch";
import type { ToolCache } from "./edge-cache";

/** The configuration the tools read: provider keys and endpoints, and the app's own URL (never a target). */
export type ToolConfig = Partial<
  Pick<
    Config,
    | "TAVILY_API_KEY"
    | "EXA_API_KEY"
    | "BRAVE_SEARCH_API_KEY"
    | "SEARXNG_URL"
    | "OPEN_METEO_GEOCODING_URL"
    | "OPEN_METEO_FORECAST_URL"
    | "OPEN_METEO_API_KEY"
    | "DUFFEL_ACCESS_TOKEN"
    | "AERODATABOX_API_KEY"
    | "BETTER_AUTH_URL"
    | "APP_ENV"
  >
>;

export interface ToolDeps {
  http: HttpClient;
  config: ToolConfig;
  /** Clock for tools that report the time; tests pin it. */
  now?: () => Date;
  /** Where slow-changing provider answers are kept; undefined means no caching. */
  cache?: ToolCache;
  /** Overrides of the per-tool request timeouts below (tests shorten them). */
  timeoutsMs?: Partial<Record<keyof typeof toolTimeoutsMs, number>>;
}

/**
 * How long each tool waits for its provider, per request. Flight search waits for Duffel's own
 * supplier timeout plus a margin; the keyless lookups answer fast or not at all.
 */
export const toolTimeoutsMs = {
  weather: 8000,
  currency: 6000,
  flightSearch: 20_000,
  flightPlaces: 6000,
  flightStatus: 8000,
  travelSafety: 10_000,
  destinationGuide: 6000,
  publicHolidays: 6000,
} as const;

export const timeoutFor = (deps: Pick<ToolDeps, "timeoutsMs">, name: keyof typeof toolTimeoutsMs): number =>
  deps.timeoutsMs?.[name] ?? toolTimeoutsMs[name];

/** The clock a tool reads: the one given, or the real one. */
export const clockOf = (deps: Pick<ToolDeps, "now">): (() => Date) => deps.now ?? (() => new Date());
