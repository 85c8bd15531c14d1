import type { Config } from "../../env";
import type { HttpClient } from "../http/safe-fetch";

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
    | "BETTER_AUTH_URL"
  >
>;

export interface ToolDeps {
  http: HttpClient;
  config: ToolConfig;
  /** Clock for tools that report the time; tests pin it. */
  now?: () => Date;
}
