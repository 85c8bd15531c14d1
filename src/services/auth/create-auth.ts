import { AsyncLocalStorage } from "node:async_hooks";
import type { BetterAuthOptions, DBAdapter, Where } from "better-auth";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { setRequestCookie } from "better-auth/cookies";
import { bearer } from "better-auth/plugins/bearer";
import type { Db } from "../../db/client";
import { findSessionWithUserByToken, type SessionCompanion } from "../../db/queries/auth";
import { account, rateLimit, type Session, session, type User, user, verification } from "../../db/schema";
import { type Config, isLocal } from "../../env";
import { createLogger, type Logger, redactQueryParams } from "../../lib/log";
import { shortcutOn } from "../../lib/shortcuts";
import type { Mailer } from "../mail/mailer";
import { limitSignInPerAccount } from "./limit-sign-in";
import { type SessionRules, sessionRulesOf, settledSession } from "./session-check";

export const SESSION_DAYS = 7;
const AUTH_BASE_PATH = "/api/auth";

export interface AuthContext {
  db: Db;
  config: Config;
  mailer: Mailer;
  log: Logger;
  waitUntil?: (promise: Promise<unknown>) => void;
  /** A read to run in the session lookup's statement, during one session check. */
  companion?: SessionCompanion;
}

/** What one request lends better-auth while it works for that request. */
const requestScope = new AsyncLocalStorage<AuthContext>();

function scope(): AuthContext {
  const current = requestScope.getStore();
  if (!current) throw new Error("better-auth was called outside a request");
  return current;
}

/**
 * The database better-auth sees: whatever it reaches for is the current request's client. Workers
 * cannot share a socket between requests, so no client may outlive the request that opened it.
 */
const requestDb = new Proxy({} as Db, {
  get(_target, property) {
    const db = scope().db;
    const value = Reflect.get(db, property, db);
    return typeof value === "function" ? value.bind(db) : value;
  },
  has(_target, property) {
    return Reflect.has(scope().db, property);
  },
});

type SessionWithUser = Awaited<ReturnType<SharedAuth["api"]["getSession"]>>;

/** The parts of better-auth the app uses, bound to one request. */
export interface Auth {
  handler(request: Request): Promise<Response>;
  api: {
    /**
     * The caller's session, and the cookies better-auth set while checking it: when a session is due
     * for its daily refresh, its row is extended and its cookie reissued, which the caller must pass on.
     */
    getSession(input: {
      headers: Headers;
      /** Read in the same statement as the session (see SessionCompanion); only used if the session is. */
      companion?: SessionCompanion;
    }): Promise<{ found: SessionWithUser; setCookies: string[]; via: "cookie" | "bearer" }>;
    /** Whether `password` is the user's email-and-password credential, as better-auth checks it. */
    verifyPassword(input: { userId: string; password: string }): Promise<boolean>;
  };
}

const sharedByConfig = new WeakMap<Config, SharedAuth>();

function sharedAuth(config: Config): SharedAuth {
  let shared = sharedByConfig.get(config);
  if (!shared) {
    shared = buildAuth(config);
    sharedByConfig.set(config, shared);
  }
  return shared;
}

/** The session settings the settled case of a session check is decided by (undefined: always better-auth). */
export function sessionRulesFor(config: Config): Promise<SessionRules | undefined> {
  return sessionRules(sharedAuth(config));
}

/**
 * better-auth on the seed's tables, for one request. Its configuration (endpoints, schema, settings)
 * is built once per isolate and configuration, as building it costs more CPU than a whole simple
 * request; the request's own parts (database client, mailer, logger, waitUntil) are handed to it for
 * the duration of each call through AsyncLocalStorage, so nothing request-bound is ever shared.
 */
export function createAuth(context: AuthContext): Auth {
  const auth = sharedAuth(context.config);
  return {
    handler: (request) =>
      requestScope.run(context, () =>
        limitSignInPerAccount({ db: context.db, basePath: AUTH_BASE_PATH }, request, (forwarded) =>
          auth.handler(forwarded),
        ),
      ),
    api: {
      getSession: async (input) => {
        const shortcut = shortcutOn("bearer");
        const headers = shortcut ? await bearerAsSessionCookie(auth, input.headers) : input.headers;
        const rules = shortcutOn("session-check") ? await sessionRules(auth) : undefined;
        const scoped = input.companion ? { ...context, companion: input.companion } : context;
        let found: SessionWithUser | undefined;
        let setCookies: string[] = [];
        if (rules) {
          const find = shortcutOn("session-lookup")
            ? (token: string) => findSessionWithUserByToken(context.db, token, input.companion)
            : (token: string) => requestScope.run(scoped, () => adapterSessionLookup(auth, token));
          const settled = await settledSession(rules, headers, find);
          if (settled) found = settled as SessionWithUser;
        }
        if (found === undefined) {
          const answer = await requestScope.run(scoped, () => auth.api.getSession({ headers, returnHeaders: true }));
          found = answer.response as SessionWithUser;
          setCookies = answer.headers.getSetCookie();
        }
        // A signed bearer token replaces any session cookie; anything else leaves the cookie to decide.
        const via = shortcut ? (headers === input.headers ? "cookie" : "bearer") : foundByBearer(input.headers, found);
        return { found, setCookies, via };
      },
      verifyPassword: ({ userId, password }) =>
        requestScope.run(context, async () => {
          const shared = await auth.$context;
          const credential = await shared.internalAdapter.findCredentialAccount(userId);
          if (!credential?.password) return false;
          return shared.password.verify({ hash: credential.password, password });
        }),
    },
  };
}

const rulesByAuth = new WeakMap<SharedAuth, Promise<SessionRules | undefined>>();

/** better-auth's session settings, for the settled case of a session check (see settledSession). */
function sessionRules(auth: SharedAuth): Promise<SessionRules | undefined> {
  let rules = rulesByAuth.get(auth);
  if (!rules) {
    rules = auth.$context.then((context) => sessionRulesOf(context));
    rulesByAuth.set(auth, rules);
  }
  return rules;
}

/** The session with its user through better-auth's own adapter, as its get-session would look it up. */
async function adapterSessionLookup(auth: SharedAuth, token: string) {
  const shared = await auth.$context;
  const found = await shared.adapter.findOne<Session & { user: User }>({
    model: "session",
    where: [{ field: "token", value: token }],
    join: { user: true },
  });
  return found ?? undefined;
}

/** Whether the caller's bearer token names the session that was found (the bearer plugin put it first). */
function foundByBearer(headers: Headers, found: SessionWithUser | undefined): "cookie" | "bearer" {
  const authorization = headers.get("authorization") ?? "";
  if (!found || authorization.slice(0, 7).toLowerCase() !== "bearer ") return "cookie";
  let token = authorization.slice(7).trim();
  try {
    token = decodeURIComponent(token);
  } catch {
    // kept as sent, as the plugin does
  }
  return token.split(".")[0] === found.session.token ? "bearer" : "cookie";
}

const sessionCookieNames = new WeakMap<SharedAuth, string>();

/**
 * A signed bearer token as the session cookie it stands for: what the bearer plugin's hook does, done
 * before the call so the hook (a second endpoint context and a second signature check) does not run
 * for the session check of every API request. better-auth still verifies the signature when it reads
 * the cookie, so an unsigned or forged token finds no session either way; an unsigned one is left to
 * the plugin, which ignores it.
 */
async function bearerAsSessionCookie(auth: SharedAuth, headers: Headers): Promise<Headers> {
  const authorization = headers.get("authorization") ?? "";
  if (authorization.slice(0, 7).toLowerCase() !== "bearer ") return headers;
  const token = authorization.slice(7).trim();
  if (!token.includes(".")) return headers;
  let name = sessionCookieNames.get(auth);
  if (!name) {
    name = (await auth.$context).authCookies.sessionToken.name;
    sessionCookieNames.set(auth, name);
  }
  let value = token;
  if (token.includes("%")) {
    try {
      value = decodeURIComponent(token);
    } catch {
      // kept as sent, as the plugin does
    }
  }
  const converted = new Headers(headers);
  converted.delete("authorization");
  setRequestCookie(converted, name, value);
  return converted;
}

/** Every setting that matters is explicit rather than left to NODE_ENV-based defaults. */
function buildAuth(config: Config) {
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
        const log = requestScope.getStore()?.log ?? fallbackLog;
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

type SharedAuth = ReturnType<typeof buildAuth>;

/**
 * Signed bearer tokens for API clients (better-auth's bearer plugin). Its after hook copies a session
 * cookie the endpoint set into `set-auth-token` on the HTTP response; the app's own session checks
 * (called without a request) pass on only a browser's reissued cookie, never a token, so running the
 * hook there would only cost another endpoint context per request, and it is skipped.
 */
function bearerTokens() {
  const plugin = bearer({ requireSignature: true });
  return {
    ...plugin,
    hooks: {
      ...plugin.hooks,
      after: plugin.hooks.after.map((hook) => ({
        ...hook,
        matcher: (context: Parameters<typeof hook.matcher>[0]) =>
          (context.request !== undefined || !shortcutOn("bearer")) && hook.matcher(context),
      })),
    },
  };
}

/**
 * better-auth's Drizzle adapter, except for the one read every authenticated request makes: a session
 * by its token with its user. The adapter builds that as a Drizzle relational query, whose building
 * alone took more CPU than the rest of a small request's own work; here it is one statement, its text
 * written once per isolate, returning the same fields. Every decision on the result (expiry, refresh,
 * revocation) stays better-auth's, and any other lookup goes to the adapter unchanged.
 */
function withOneStatementSessionLookup(adapter: DBAdapter<BetterAuthOptions>): DBAdapter<BetterAuthOptions> {
  const findOne: DBAdapter<BetterAuthOptions>["findOne"] = async (query) => {
    const token = sessionTokenLookedUp(query);
    if (token === undefined || !shortcutOn("session-lookup")) return adapter.findOne(query);
    const current = scope();
    return ((await findSessionWithUserByToken(current.db, token, current.companion)) ?? null) as never;
  };
  return { ...adapter, findOne };
}

/** The token when `query` is exactly better-auth's session-with-user lookup, otherwise undefined. */
function sessionTokenLookedUp(query: {
  model: string;
  where: Where[];
  select?: string[] | undefined;
  join?: Record<string, unknown> | undefined;
}): string | undefined {
  if (query.model !== "session" || (query.select && query.select.length > 0)) return undefined;
  const join = query.join;
  if (join?.user !== true || Object.keys(join).length !== 1) return undefined;
  if (query.where.length !== 1) return undefined;
  const [condition] = query.where;
  if (condition?.field !== "token" || typeof condition.value !== "string") return undefined;
  if ((condition.operator ?? "eq") !== "eq" || (condition.mode ?? "sensitive") !== "sensitive") return undefined;
  return condition.value;
}
