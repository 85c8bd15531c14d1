export type LogLevel = "debug" | "info" | "warn" | "error";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Database errors carry the values of the statement that failed (message text, emails, token ids,
 * password hashes), which must never reach a log line. Drizzle's DrizzleQueryError writes them into its
 * message, after the statement, as `params: …` (and so into its stack); postgres.js keeps them in
 * non-enumerable `parameters`, which is never read here.
 */
const QUERY_PARAMS = /\nparams: [\s\S]*$/;

/** Text with a failed query's parameter values cut off; the statement itself holds only placeholders. */
export function redactQueryParams(text: string): string {
  return text.includes("\nparams: ") ? text.replace(QUERY_PARAMS, "\nparams: [redacted]") : text;
}

interface QueryError extends Error {
  query: string;
  params: unknown[];
}

function isQueryError(error: Error): error is QueryError {
  const candidate = error as Partial<QueryError>;
  return typeof candidate.query === "string" && Array.isArray(candidate.params);
}

interface DatabaseError extends Error {
  code: string;
  severity?: string;
  constraint_name?: string;
  table_name?: string;
  column_name?: string;
}

function isDatabaseError(error: Error): error is DatabaseError {
  const candidate = error as Partial<DatabaseError>;
  return typeof candidate.code === "string" && typeof candidate.severity === "string";
}

/**
 * Postgres quotes the value it could not take back in the message of a data exception (SQLSTATE class
 * 22: `invalid input syntax for type uuid: "…"`). Other classes quote only names (tables, constraints),
 * and the values of an integrity violation are in `detail`, which is never logged.
 */
function redactDatabaseMessage(error: DatabaseError): string {
  return error.code.startsWith("22") ? error.message.replace(/"[\s\S]*"/, '"[redacted]"') : error.message;
}

/** The stack's frames under a new first line (the first line repeats the message). */
function restack(error: Error, message: string): string | undefined {
  if (error.stack === undefined) return undefined;
  const frames = error.stack.indexOf("\n    at ");
  return `${error.name}: ${message}${frames === -1 ? "" : error.stack.slice(frames)}`;
}

function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  if (depth > 5) return { name: error.name };
  let message = error.message;
  let stack = error.stack;
  const extra: Record<string, unknown> = {};
  if (isQueryError(error)) {
    message = redactQueryParams(message);
    stack = restack(error, message);
  } else if (isDatabaseError(error)) {
    const redacted = redactDatabaseMessage(error);
    if (redacted !== message) {
      message = redacted;
      stack = restack(error, message);
    }
    extra.constraint = error.constraint_name;
    extra.table = error.table_name;
    extra.column = error.column_name;
  } else {
    message = redactQueryParams(message);
    if (message !== error.message) stack = restack(error, message);
  }
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === "string" ? { code } : {}),
    message,
    ...extra,
    stack,
    cause: serializeError(error.cause, depth + 1),
  };
}

/** One JSON object per line, so Workers Logs can index the fields. */
export function createLogger(base: Record<string, unknown> = {}, level: LogLevel = "info"): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < rank[level]) return;
    const entry: Record<string, unknown> = {
      level: lvl,
      msg: redactQueryParams(msg),
      time: new Date().toISOString(),
      ...base,
      ...fields,
    };
    for (const key in entry) {
      if (entry[key] instanceof Error) entry[key] = serializeError(entry[key]);
    }
    const line = JSON.stringify(entry);
    if (lvl === "error") console.error(line);
    else if (lvl === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, level),
  };
}
