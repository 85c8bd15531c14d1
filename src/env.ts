import { z } from "zod";

/**
 * The Worker's bindings and variables: `Cloudflare.Env` is generated from wrangler.toml by `wrangler types`
 * (worker-configuration.d.ts, `npm run types:env`), with every configuration key below as an optional
 * string (secrets and `.dev.vars` are not in wrangler.toml).
 */
export type Env = Cloudflare.Env;

/** Variables and secrets, as they arrive from wrangler.toml `[vars]`, `.dev.vars` and secrets. */
export type RawVars = Partial<Record<keyof Config, string>>;

declare global {
  namespace Cloudflare {
    interface Env extends RawVars {}
  }
}

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const boolText = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? fallback : value === "true" || value === "1"));

/** An absolute http(s) URL; unset or blank means "use the default". */
const optionalUrl = optionalText.pipe(
  z.url({ protocol: /^https?$/, error: "must be an absolute http or https URL" }).optional(),
);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().optional().default(fallback);
/**
 * A ceiling with a default: unset or blank keeps the default, `unlimited` lifts it (undefined), and a
 * number (0 included) is the ceiling.
 */
const ceiling = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx): number | undefined => {
      const text = value?.trim();
      if (!text) return fallback;
      if (text === "unlimited") return undefined;
      const limit = Number(text);
      if (Number.isInteger(limit) && limit >= 0) return limit;
      ctx.addIssue({ code: "custom", message: "must be a whole number of 0 or more, or unlimited" });
      return z.NEVER;
    });

const configSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DATABASE_URL: optionalText,
  /** Only for local testing of the Neon driver through a WebSocket-to-TCP relay (host:port/path). */
  NEON_WS_PROXY: optionalText,
  MAX_BODY_BYTES: positiveInt(1024 * 1024),

  BETTER_AUTH_SECRET: optionalText,
  BETTER_AUTH_URL: optionalText,
  TRUSTED_ORIGINS: csv,
  REQUIRE_EMAIL_VERIFICATION: boolText(true),
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  EMAIL_FROM: optionalText,
  RESEND_API_KEY: optionalText,
  /** Where verification and reset mail goes: Resend, or the log (default resend with a key, else log locally). */
  MAIL_TRANSPORT: z.enum(["resend", "log"]).optional(),

  AI_PROVIDER: z.enum(["workers-ai", "openai-compatible", "offline"]).optional(),
  OPENAI_COMPATIBLE_BASE_URL: optionalText,
  OPENAI_COMPATIBLE_API_KEY: optionalText,
  /** The endpoint's names for the free default and the Pro model (default gpt-4o-mini and gpt-4o). */
  OPENAI_COMPATIBLE_MODEL: optionalText,
  OPENAI_COMPATIBLE_PRO_MODEL: optionalText,
  TAVILY_API_KEY: optionalText,
  EXA_API_KEY: optionalText,
  BRAVE_SEARCH_API_KEY: optionalText,
  SEARXNG_URL: optionalText,

  /** The offline model pauses this long between text chunks (and answers at length). Ignored in production. */
  OFFLINE_MODEL_CHUNK_DELAY_MS: z.coerce.number().int().nonnegative().max(60_000).optional(),

  /** Open-Meteo's endpoints (default: the public API); trusted as configured, like other provider endpoints. */
  OPEN_METEO_GEOCODING_URL: optionalUrl,
  OPEN_METEO_FORECAST_URL: optionalUrl,
  /** Open-Meteo's commercial key: weather then uses the customer endpoints (the free API is non-commercial). */
  OPEN_METEO_API_KEY: optionalText,
  /** Flight search through Duffel; off without it. */
  DUFFEL_ACCESS_TOKEN: optionalText,
  /** Flight status through AeroDataBox (RapidAPI key); off without it. */
  AERODATABOX_API_KEY: optionalText,

  /** Replies: the bytes of the newest message's attachments one reply downloads and sends, in all. */
  MAX_ATTACHMENT_BYTES_PER_REPLY: positiveInt(20 * 1024 * 1024),
  /** Replies one user may have generating at once, across all their chats. */
  MAX_CONCURRENT_REPLIES_PER_USER: positiveInt(3),
  /** The most tokens one model call of a reply may write. */
  MAX_OUTPUT_TOKENS: positiveInt(4096),
  /** Estimated tokens of history (with the system prompt) sent to the model; the oldest turns go first. */
  HISTORY_TOKEN_BUDGET: positiveInt(16_000),

  FREE_DAILY_MESSAGES: positiveInt(20),
  FREE_MONTHLY_EXTREME_SEARCHES: positiveInt(5),
  /** Abuse ceilings for Pro; `unlimited` lifts them. */
  PRO_DAILY_MESSAGES: ceiling(500),
  PRO_MONTHLY_EXTREME_SEARCHES: ceiling(100),

  LOOKOUTS_MAX_PER_USER: positiveInt(10),
  LOOKOUTS_MAX_ACTIVE_DAILY: positiveInt(5),
  LOOKOUT_RUN_TIMEOUT_MINUTES: positiveInt(15),
  /** Runs started with "run now" per user and hour. */
  LOOKOUT_RUN_NOW_PER_HOUR: positiveInt(10),

  POLAR_WEBHOOK_SECRET: optionalText,
  POLAR_WEBHOOK_KEY_MODE: z.enum(["standard", "legacy"]).default("standard"),
  POLAR_PRO_PRODUCT_IDS: csv,
  DODO_WEBHOOK_SECRET: optionalText,
  DODO_PRO_PRODUCT_IDS: csv,
  DODO_PRO_DAYS: positiveInt(30),

  /** Checkout and portal: each provider is off without its token or key. */
  POLAR_ACCESS_TOKEN: optionalText,
  POLAR_SERVER: z.enum(["production", "sandbox"]).default("production"),
  /** The `Polar-Version` header sent with every API call. */
  POLAR_API_VERSION: optionalText,
  /** Overrides the server's base URL. */
  POLAR_API_BASE_URL: optionalUrl,
  DODO_PAYMENTS_API_KEY: optionalText,
  DODO_PAYMENTS_ENVIRONMENT: z.enum(["live_mode", "test_mode"]).default("live_mode"),
  /** Overrides the environment's base URL. */
  DODO_PAYMENTS_API_BASE_URL: optionalUrl,
  /**
   * Signs the user id our checkouts put in provider metadata, so a webhook can trust it. Unset: derived
   * from BETTER_AUTH_SECRET (under its own label, so neither signature can stand in for the other).
   */
  BILLING_METADATA_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
});

export type Config = z.output<typeof configSchema>;
type ConfigKey = keyof z.input<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const PUBLISHED_SECRETS = new Set([
  "change-me-to-a-long-random-string-of-32-chars-or-more",
  "local-development-secret-change-me-0123456789",
  "better-auth-secret-12345678901234567890",
]);

// Workers hand the same env object to every request of an isolate, so the check runs once per isolate.
const cache = new WeakMap<object, Config>();

/** The only place that reads variables and secrets. Throws ConfigError naming every bad key. */
export function loadConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const source = env as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape) as ConfigKey[]) {
    const value = source[key];
    if (typeof value === "string") raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const config = parsed.data;
  if (config.APP_ENV === "production") {
    // Outside local development a missing or weak secret would make every session forgeable.
    if (!config.BETTER_AUTH_SECRET || config.BETTER_AUTH_SECRET.length < 32) {
      throw new ConfigError("Invalid configuration: BETTER_AUTH_SECRET must be set to at least 32 characters");
    }
    // Published secrets (the example file's, the local default's, better-auth's built-in) forge sessions as well.
    if (PUBLISHED_SECRETS.has(config.BETTER_AUTH_SECRET) || /change-me/i.test(config.BETTER_AUTH_SECRET)) {
      throw new ConfigError(
        "Invalid configuration: BETTER_AUTH_SECRET is a published placeholder; set a random secret",
      );
    }
    if (!config.BETTER_AUTH_URL) {
      throw new ConfigError("Invalid configuration: BETTER_AUTH_URL must be set to the public base URL");
    }
  }
  config.MAIL_TRANSPORT ??= config.RESEND_API_KEY || config.APP_ENV === "production" ? "resend" : "log";
  if (config.MAIL_TRANSPORT === "resend" && !config.RESEND_API_KEY) {
    // In production the log would hold every verification and reset link: whoever reads it owns the accounts.
    throw new ConfigError(
      "Invalid configuration: RESEND_API_KEY must be set to send mail (or set MAIL_TRANSPORT=log to write mail, links included, to the log)",
    );
  }
  if (config.AI_PROVIDER === undefined) {
    config.AI_PROVIDER = config.APP_ENV === "production" ? "workers-ai" : "offline";
  }
  cache.set(env, config);
  return config;
}

export function isLocal(config: Config): boolean {
  return config.APP_ENV !== "production";
}
