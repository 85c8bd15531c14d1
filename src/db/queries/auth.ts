import { sql } from "drizzle-orm";
import { executeRead, type Queryable } from "../client";
import { type Session, session, type User, user } from "../schema";
import { type Selection, selectionOf } from "./selection";

let lookup: { text: string; session: Selection<Session>; user: Selection<User> } | undefined;

function sessionLookup() {
  if (!lookup) {
    const sessionColumns = selectionOf<Session>(session, { alias: "s", prefix: "s_" });
    const userColumns = selectionOf<User>(user, { alias: "u", prefix: "u_" });
    lookup = {
      text: `select ${sessionColumns.text}, ${userColumns.text} from "session" s join "user" u on u."id" = s."user_id" where s."token" = `,
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
  const [row] = await executeRead<Record<string, unknown>>(db, sql`${sql.raw(statement.text)}${token} limit 1`);
  if (!row) return undefined;
  return { ...statement.session.read(row), user: statement.user.read(row) };
}
