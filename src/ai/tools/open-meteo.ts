import type { HttpClient } from "../../outbound/safe-fetch";
import { ToolInputError } from "./tool-result";
import type { ToolConfig } from "./types";

/** Open-Meteo's public endpoints, used unless configuration names others. */
export const openMeteoEndpoints = {
  geocoding: "https://geocoding-api.open-meteo.com/v1/search",
  forecast: "https://api.open-meteo.com/v1/forecast",
};

/** The customer endpoints a commercial key is sent to (the public API is for non-commercial use only). */
export const openMeteoCustomerEndpoints = {
  geocoding: "https://customer-geocoding-api.open-meteo.com/v1/search",
  forecast: "https://customer-api.open-meteo.com/v1/forecast",
};

export interface OpenMeteoEndpoints {
  geocoding: string;
  forecast: string;
  /** Sent as `apikey` on every request when set. */
  apiKey?: string;
}

/**
 * The endpoints for this configuration. Configured URLs come from the operator, like every other
 * provider endpoint, so they are requested as trusted (a loopback fake works in local tests) and win
 * over the defaults; with a key, the defaults are the customer endpoints.
 */
export function openMeteoEndpointsFor(config: ToolConfig): OpenMeteoEndpoints {
  const apiKey = config.OPEN_METEO_API_KEY;
  const defaults = apiKey ? openMeteoCustomerEndpoints : openMeteoEndpoints;
  return {
    geocoding: config.OPEN_METEO_GEOCODING_URL ?? defaults.geocoding,
    forecast: config.OPEN_METEO_FORECAST_URL ?? defaults.forecast,
    ...(apiKey ? { apiKey } : {}),
  };
}

/** The public page that credits Open-Meteo, the link its terms ask results to carry. */
export const openMeteoSourceUrl = "https://open-meteo.com/";

export interface Place {
  name: string;
  country: string | null;
  countryCode: string | null;
  region: string | null;
  latitude: number;
  longitude: number;
  timeZone: string | null;
  population: number | null;
}

interface GeocodingResponse {
  results?: Array<{
    name?: string;
    country?: string;
    country_code?: string;
    admin1?: string;
    latitude?: number;
    longitude?: number;
    timezone?: string;
    population?: number;
  }>;
}

/** Place names to coordinates through Open-Meteo's keyless geocoding API. */
export async function searchPlaces(
  http: HttpClient,
  name: string,
  options: { count?: number; language?: string; signal?: AbortSignal; endpoint?: string; apiKey?: string } = {},
): Promise<Place[]> {
  const url = new URL(options.endpoint ?? openMeteoEndpoints.geocoding);
  if (options.apiKey) url.searchParams.set("apikey", options.apiKey);
  url.searchParams.set("name", name);
  url.searchParams.set("count", String(options.count ?? 5));
  url.searchParams.set("language", options.language ?? "en");
  url.searchParams.set("format", "json");
  const body = await http.json<GeocodingResponse>(url, { trust: "trusted", signal: options.signal });
  return (body.results ?? [])
    .filter((item) => typeof item.latitude === "number" && typeof item.longitude === "number")
    .map((item) => ({
      name: item.name ?? name,
      country: item.country ?? null,
      countryCode: item.country_code ?? null,
      region: item.admin1 ?? null,
      latitude: item.latitude as number,
      longitude: item.longitude as number,
      timeZone: item.timezone ?? null,
      population: item.population ?? null,
    }));
}

export async function geocodeOne(
  http: HttpClient,
  name: string,
  options: { signal?: AbortSignal; endpoint?: string; apiKey?: string } = {},
): Promise<Place> {
  const [first] = await searchPlaces(http, name, { count: 1, ...options });
  if (!first) throw new ToolInputError(`No place called "${name}" was found.`);
  return first;
}

const weatherCodes: Record<number, string> = {
  0: "clear sky",
  1: "mainly clear",
  2: "partly cloudy",
  3: "overcast",
  45: "fog",
  48: "depositing rime fog",
  51: "light drizzle",
  53: "drizzle",
  55: "dense drizzle",
  56: "light freezing drizzle",
  57: "freezing drizzle",
  61: "light rain",
  63: "rain",
  65: "heavy rain",
  66: "light freezing rain",
  67: "freezing rain",
  71: "light snow",
  73: "snow",
  75: "heavy snow",
  77: "snow grains",
  80: "light rain showers",
  81: "rain showers",
  82: "violent rain showers",
  85: "light snow showers",
  86: "heavy snow showers",
  95: "thunderstorm",
  96: "thunderstorm with light hail",
  99: "thunderstorm with heavy hail",
};

export function describeWeatherCode(code: number | null | undefined): string {
  if (code === null || code === undefined) return "unknown";
  return weatherCodes[code] ?? "unknown";
}
