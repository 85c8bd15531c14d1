// Settings shared by the browser tests' server and the tests themselves.

/** The Standard Webhooks test-vector secret and the Pro product of the Polar fixtures. */
export const polarWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const polarProProductId = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
export const freeDailyMessages = 6;
export const chunkDelayMs = Number(process.env.E2E_CHUNK_DELAY_MS ?? 150);

export const e2eVars = {
  LOG_LEVEL: "warn",
  OFFLINE_MODEL_CHUNK_DELAY_MS: String(chunkDelayMs),
  POLAR_WEBHOOK_SECRET: polarWebhookSecret,
  POLAR_PRO_PRODUCT_IDS: polarProProductId,
  FREE_DAILY_MESSAGES: String(freeDailyMessages),
};

/** The one place the fake geocoder knows, named as asked. */
export function fakePlace(name) {
  return {
    id: 2267057,
    name: name.split(",")[0].trim(),
    latitude: 38.71667,
    longitude: -9.13333,
    elevation: 45,
    feature_code: "PPLC",
    country_code: "PT",
    timezone: "Europe/Lisbon",
    population: 517802,
    country: "Portugal",
    admin1: "Lisbon",
  };
}

/** Distinctive figures, so a test can tell the fake forecast on screen. */
export const fakeWeather = {
  currentTemperatureC: 23.4,
  dailyCodes: [2, 61, 0, 3, 80, 1, 45],
  dailyMaxC: [27.5, 24.5, 26.5, 25.5, 22.5, 28.5, 21.5],
  dailyMinC: [16.5, 15.5, 17.5, 14.5, 13.5, 18.5, 12.5],
};

export function fakeForecast(days) {
  const count = Math.min(Math.max(Number.isFinite(days) ? days : 3, 1), 7);
  const today = new Date();
  const dates = Array.from({ length: count }, (_, index) =>
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + index))
      .toISOString()
      .slice(0, 10),
  );
  return {
    latitude: 38.72,
    longitude: -9.14,
    timezone: "Europe/Lisbon",
    timezone_abbreviation: "WET",
    current: {
      time: `${dates[0]}T12:00`,
      temperature_2m: fakeWeather.currentTemperatureC,
      apparent_temperature: 24.1,
      relative_humidity_2m: 61,
      precipitation: 0,
      weather_code: 2,
      wind_speed_10m: 14.2,
    },
    daily: {
      time: dates,
      weather_code: fakeWeather.dailyCodes.slice(0, count),
      temperature_2m_max: fakeWeather.dailyMaxC.slice(0, count),
      temperature_2m_min: fakeWeather.dailyMinC.slice(0, count),
      precipitation_sum: [0, 3.2, 0, 0, 5.1, 0, 0].slice(0, count),
      precipitation_probability_max: [10, 80, 0, 20, 70, 5, 15].slice(0, count),
    },
  };
}
