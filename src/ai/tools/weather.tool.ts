import { tool } from "ai";
import { z } from "zod";
import { describeWeatherCode, geocodeOne, openMeteoEndpointsFor, openMeteoSourceUrl } from "./open-meteo";
import { runTool } from "./tool-result";
import { clockOf, type ToolDeps, timeoutFor } from "./types";

interface ForecastResponse {
  timezone?: string;
  current?: {
    time?: string;
    temperature_2m?: number;
    apparent_temperature?: number;
    relative_humidity_2m?: number;
    precipitation?: number;
    weather_code?: number;
    wind_speed_10m?: number;
  };
  daily?: {
    time?: string[];
    weather_code?: number[];
    temperature_2m_max?: number[];
    temperature_2m_min?: number[];
    precipitation_sum?: number[];
    precipitation_probability_max?: Array<number | null>;
  };
}

export const weatherInputSchema = z.object({
  location: z.string().trim().min(1).max(120).describe("City or place name, e.g. 'Kyoto' or 'Lisbon, Portugal'"),
  days: z.number().int().min(1).max(7).default(3).describe("Forecast days including today (1-7)"),
});

export function createWeatherTool(deps: ToolDeps) {
  const { http, config } = deps;
  const now = clockOf(deps);
  const endpoints = openMeteoEndpointsFor(config);
  return tool({
    description:
      "Current weather and a daily forecast (up to 7 days) for a place, from Open-Meteo. Temperatures in °C, wind in km/h, precipitation in mm.",
    inputSchema: weatherInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("weather", async () => {
        const place = await geocodeOne(http, input.location, {
          signal: abortSignal,
          endpoint: endpoints.geocoding,
          apiKey: endpoints.apiKey,
        });
        const url = new URL(endpoints.forecast);
        if (endpoints.apiKey) url.searchParams.set("apikey", endpoints.apiKey);
        url.searchParams.set("latitude", String(place.latitude));
        url.searchParams.set("longitude", String(place.longitude));
        url.searchParams.set(
          "current",
          "temperature_2m,apparent_temperature,relative_humidity_2m,precipitation,weather_code,wind_speed_10m",
        );
        url.searchParams.set(
          "daily",
          "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max",
        );
        url.searchParams.set("timezone", "auto");
        url.searchParams.set("forecast_days", String(input.days));
        const body = await http.json<ForecastResponse>(url, {
          trust: "trusted",
          signal: abortSignal,
          timeoutMs: timeoutFor(deps, "weather"),
        });
        const daily = body.daily ?? {};
        const current = body.current ?? {};
        return {
          location: {
            name: place.name,
            region: place.region,
            country: place.country,
            latitude: place.latitude,
            longitude: place.longitude,
            timeZone: body.timezone ?? place.timeZone,
          },
          current: {
            time: current.time ?? null,
            temperatureC: current.temperature_2m ?? null,
            feelsLikeC: current.apparent_temperature ?? null,
            humidityPercent: current.relative_humidity_2m ?? null,
            precipitationMm: current.precipitation ?? null,
            windKmh: current.wind_speed_10m ?? null,
            conditions: describeWeatherCode(current.weather_code),
          },
          forecast: (daily.time ?? []).map((date, index) => ({
            date,
            conditions: describeWeatherCode(daily.weather_code?.[index]),
            maxC: daily.temperature_2m_max?.[index] ?? null,
            minC: daily.temperature_2m_min?.[index] ?? null,
            precipitationMm: daily.precipitation_sum?.[index] ?? null,
            precipitationChancePercent: daily.precipitation_probability_max?.[index] ?? null,
          })),
          source: { provider: "Open-Meteo", url: openMeteoSourceUrl },
          retrievedAt: now().toISOString(),
        };
      }),
  });
}
