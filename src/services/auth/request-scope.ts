import { AsyncLocalStorage } from "node:async_hooks";
import type { Db } from "../../db/client";
import type { Config } from "../../env";
import type { Logger } from "../../lib/log";
import type { Mailer } from "../mail/mailer";

/** What one request lends better-auth while it works for that request. */
export interface AuthContext {
  db: Db;
  config: Config;
  mailer: Mailer;
  log: Logger;
  waitUntil?: (promise: Promise<unknown>) => void;
}

const requestScope = new AsyncLocalStorage<AuthContext>();

/** Runs `fn` with `context` as the request better-auth works for. */
export function inRequestScope<T>(context: AuthContext, fn: () => T): T {
  return requestScope.run(context, fn);
}

/** The request better-auth is working for; it is never called outside one. */
export function scope(): AuthContext {
  const current = requestScope.getStore();
  if (!current) throw new Error("better-auth was called outside a request");
  return current;
}

/** The request's logger, when there is a request (better-auth also logs while it is being built). */
export function scopeLog(): Logger | undefined {
  return requestScope.getStore()?.log;
}

/**
 * The database better-auth sees: whatever it reaches for is the current request's client. Workers
 * cannot share a socket between requests, so no client may outlive the request that opened it.
 */
export const requestDb = new Proxy({} as Db, {
  get(_target, property) {
    const db = scope().db;
    const value = Reflect.get(db, property, db);
    return typeof value === "function" ? value.bind(db) : value;
  },
  has(_target, property) {
    return Reflect.has(scope().db, property);
  },
});
