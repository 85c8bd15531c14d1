import type { BetterAuthOptions } from "better-auth";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { withOneStatementSessionLookup } from "../../db/queries/auth";
import { account, rateLimit, session, user, verification } from "../../db/schema";
import { type Config, isLocal } from "../../env";
import { createLogger, redactQueryParams } from "../../lib/log";
import { bearerTokens } from "./bearer-as-cookie";
import { requestDb, scope, scopeLog } from "./request-scope";

export const SESSION_DAYS = 7;
export const AUTH_BASE_PATH = "/api/auth";

/**
 * better-auth's configuration for Mylo, built once per isolate and configuration (building it costs more
 * CPU than a whole simple request). Whatever it needs of a request (database, mailer, logger, waitUntil)
 * it takes from the request scope at the time of the call.
 */
/** Every setting that matters is explicit rather than left to NODE_ENV-based defaults. */
export function buildAuth(config: Config) {
  const local = isLocal(config);
  const socialProviders: Record<string, { clientId: string; clientSecret: string }> = {};
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) {
    socialProviders.github = { clientId: config.GITHUB_CLIENT_ID, clientSecret: config.GITHUB_CLIENT_SECRET };
  }
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    socialProviders.google = { clientId: config.GOOGLE_CLIENT_ID, clientSecret: config.GOOGLE_CLIENT_SECRET };
  }
  const baseURL = config.BETTER_AUTH_URL ?? "http://localhost:8787";
  const fallbackLog = createLogger({}, config.LOG_LEVEL);

  return betterAuth({
    appName: "Mylo",
    baseURL,
    basePath: AUTH_BASE_PATH,
    secret: config.BETTER_AUTH_SECRET,
    trustedOrigins: [new URL(baseURL).origin, ...config.TRUSTED_ORIGINS],
    database: (options: BetterAuthOptions) =>
      withOneStatementSessionLookup(
        drizzleAdapter(requestDb, {
          provider: "pg",
          schema: { user, session, account, verification, rateLimit },
        })(options),
        () => scope().db,
      ),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user: target, url }) => {
        await scope().mailer.send({
          kind: "reset-password",
          to: target.email,
          subject: "Reset your Mylo password",
          text: `Someone asked to reset the password of your Mylo account. If it was you, open this link within an hour:\n\n${url}\n\nIf not, ignore this mail.`,
          url,
        });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user: target, url }) => {
        await scope().mailer.send({
          kind: "verify-email",
          to: target.email,
          subject: "Confirm your email for Mylo",
          text: `Welcome to Mylo. Confirm your email address by opening this link:\n\n${url}`,
          url,
        });
      },
    },
    socialProviders,
    session: {
      expiresIn: 60 * 60 * 24 * SESSION_DAYS,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 5 },
        "/sign-up/email": { window: 60, max: 5 },
        "/request-password-reset": { window: 300, max: 3 },
        "/reset-password": { window: 300, max: 5 },
        "/send-verification-email": { window: 300, max: 3 },
        "/get-session": false,
      },
    },
    advanced: {
      useSecureCookies: !local,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: !local },
      // Cloudflare sets this header itself and overrides any value a client sends.
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
      backgroundTasks: {
        handler: (promise) => {
          const current = scope();
          if (current.waitUntil) current.waitUntil(promise);
          else promise.catch((error: unknown) => current.log.error("auth.background-task.failed", { error }));
        },
      },
      // One query for a session and its user (Drizzle relations) instead of two on every request.
      database: { joins: true },
    },
    telemetry: { enabled: false },
    logger: {
      disabled: false,
      level: "error",
      log: (level, message, ...args) => {
        const log = scopeLog() ?? fallbackLog;
        const [first] = args;
        // An error goes to the logger whole, which leaves out the values of a failed query.
        const fields =
          first instanceof Error
            ? { source: "better-auth", error: first }
            : { source: "better-auth", detail: first === undefined ? undefined : redactQueryParams(String(first)) };
        if (level === "error") log.error(message, fields);
        else if (level === "warn") log.warn(message, fields);
        else log.debug(message, fields);
      },
    },
    plugins: [bearerTokens()],
  });
}

export type SharedAuth = ReturnType<typeof buildAuth>;
