import { type SQL, sql } from "drizzle-orm";
import { executeRead, type Queryable } from "../client";
import { type Session, session, type User, user } from "../schema";
import { type Selection, selectionOf } from "./selection";

/**
 * A read of the signed-in user's own rows that travels in the session lookup's statement, so a route
 * that reads for the caller right after the session check costs one database round trip, not two. Its
 * rows come back with the session, as one JSON array; they are only ever used once better-auth has
 * accepted the session they came with, and a rejected session's rows are dropped with it.
 */
export interface SessionCompanion {
  /** The read, with `userId` standing for the looked-up session's user id. */
  query(userId: SQL): SQL;
  /** The order of its rows, over its output columns as `r."column"` (an aggregate keeps no order by itself). */
  readonly order?: string;
  /** Its rows, as JSON objects, once it has run with a found session. */
  rows?: Record<string, unknown>[];
}

/**
 * The session's alias in the lookup, which a companion's query refers to for the user's id: a name no
 * query here uses for anything else, so no alias inside a companion (`s` for subscriptions, say) can
 * capture the reference.
 */
const SESSION_ALIAS = "session_looked_up";
const SESSION_USER_ID = sql.raw(`${SESSION_ALIAS}."user_id"`);

let lookup: { select: string; from: string; session: Selection<Session>; user: Selection<User> } | undefined;

function sessionLookup() {
  if (!lookup) {
    const sessionColumns = selectionOf<Session>(session, { alias: SESSION_ALIAS, prefix: "s_" });
    const userColumns = selectionOf<User>(user, { alias: "u", prefix: "u_" });
    lookup = {
      select: `select ${sessionColumns.text}, ${userColumns.text}`,
      from: ` from "session" ${SESSION_ALIAS} join "user" u on u."id" = ${SESSION_ALIAS}."user_id" where ${SESSION_ALIAS}."token" = `,
      session: sessionColumns,
      user: userColumns,
    };
  }
  return lookup;
}

/**
 * A session by its token with its user, in one statement; undefined when there is no such session.
 * Every authenticated request makes this lookup, so its text is written once per isolate rather than
 * built by a query builder each time. A `companion` read runs in the same statement (see SessionCompanion).
 */
export async function findSessionWithUserByToken(
  db: Queryable,
  token: string,
  companion?: SessionCompanion,
): Promise<(Session & { user: User }) | undefined> {
  const statement = sessionLookup();
  const alongside = companion
    ? sql`, (select coalesce(json_agg(r${sql.raw(companion.order ? ` order by ${companion.order}` : "")}), '[]'::json) from (${companion.query(SESSION_USER_ID)}) r) as "companion"`
    : sql``;
  const [row] = await executeRead<Record<string, unknown>>(
    db,
    sql`${sql.raw(statement.select)}${alongside}${sql.raw(statement.from)}${token} limit 1`,
  );
  if (!row) return undefined;
  if (companion) companion.rows = jsonRows(row.companion);
  return { ...statement.session.read(row), user: statement.user.read(row) };
}

/** A JSON array as the driver hands it over: parsed already (postgres.js, pg) or as text. */
function jsonRows(value: unknown): Record<string, unknown>[] {
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [];
}
