import type { SessionCompanion } from "../db/queries/auth";
import type { Deps } from "../deps";
import type { Config, Env } from "../env";
import type { Logger } from "../lib/log";
import type { AuthSession, AuthUser } from "./middleware/auth";

export interface AppVariables {
  requestId: string;
  log: Logger;
  config: Config;
  deps: Deps;
  /** Set by requireUser()/optionalUser(). */
  user: AuthUser;
  session: AuthSession;
  /** Set by requireUser() when the route had a read made with the session lookup. */
  alongSession: SessionCompanion | undefined;
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
