import type { Deps } from "../deps";
import type { Config, Env } from "../env";
import type { Logger } from "../lib/log";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuthSession {
  id: string;
  /** When the caller signed in (a refresh extends `expiresAt`, never this). */
  createdAt: Date;
  expiresAt: Date;
  /** How the caller authenticated: a session cookie (browsers) or a signed bearer token (API clients). */
  via: "cookie" | "bearer";
}

export interface AppVariables {
  requestId: string;
  log: Logger;
  config: Config;
  deps: Deps;
  /** Set by the sign-in check a route's OpenAPI `security` asks for (src/http/middleware/auth.ts). */
  user: AuthUser;
  session: AuthSession;
  /**
   * Set by a route whose response body still reads the database after the handler returns (a streamed
   * export): the request's connection is released once this settles. It must never reject.
   */
  bodyReadsUntil: Promise<void> | undefined;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
