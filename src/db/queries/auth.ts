import type { BetterAuthOptions, DBAdapter, Where } from "better-auth";
import { sql } from "drizzle-orm";
import { shortcutOn } from "../../lib/shortcuts";
import { executeRead, type Queryable } from "../client";
import { type Session, session, type User, user } from "../schema";
import { type Selection, selectionOf } from "./selection";

/**
 * Shortcut "session-lookup" (docs/architecture.md): the one read every authenticated request makes, a
 * session by its token with its user, as one statement whose text is written once per isolate, in place
 * of the Drizzle adapter's relational query (whose building alone took more CPU than the rest of a small
 * request's own work). It returns the same fields; every decision on the result stays better-auth's.
 */

/** The session's alias in the lookup. */
const SESSION_ALIAS = "session_looked_up";

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
 * built by a query builder each time.
 */
export async function findSessionWithUserByToken(
  db: Queryable,
  token: string,
): Promise<(Session & { user: User }) | undefined> {
  const statement = sessionLookup();
  const [row] = await executeRead<Record<string, unknown>>(
    db,
    sql`${sql.raw(statement.select)}${sql.raw(statement.from)}${token} limit 1`,
  );
  if (!row) return undefined;
  return { ...statement.session.read(row), user: statement.user.read(row) };
}

/**
 * better-auth's adapter, with its session-with-user lookup answered by findSessionWithUserByToken while
 * the shortcut is on; any other call, and every call with it off, goes to the adapter unchanged.
 */
export function withOneStatementSessionLookup(
  adapter: DBAdapter<BetterAuthOptions>,
  db: () => Queryable,
): DBAdapter<BetterAuthOptions> {
  const findOne: DBAdapter<BetterAuthOptions>["findOne"] = async (query) => {
    const token = sessionTokenLookedUp(query);
    if (token === undefined || !shortcutOn("session-lookup")) return adapter.findOne(query);
    return ((await findSessionWithUserByToken(db(), token)) ?? null) as never;
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
