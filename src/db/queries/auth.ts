import { getTableColumns, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "../client";
import { type Session, session, type User, user } from "../schema";
import { rowsOf } from "./system";

interface Selected {
  key: string;
  alias: string;
  column: AnyPgColumn;
}

function selectedColumns(table: PgTable, prefix: string): Selected[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    alias: `${prefix}${key}`,
    column: column as AnyPgColumn,
  }));
}

let statement: { text: string; sessionColumns: Selected[]; userColumns: Selected[] } | undefined;

/**
 * The statement's text is written once per isolate from the Drizzle tables (so it follows the schema)
 * instead of being rebuilt by a query builder for every request: this lookup runs on every
 * authenticated request.
 */
function sessionLookupStatement() {
  if (!statement) {
    const sessionColumns = selectedColumns(session, "s_");
    const userColumns = selectedColumns(user, "u_");
    const list = [
      ...sessionColumns.map(({ alias, column }) => `s."${column.name}" as "${alias}"`),
      ...userColumns.map(({ alias, column }) => `u."${column.name}" as "${alias}"`),
    ].join(", ");
    statement = {
      text: `select ${list} from "session" s join "user" u on u."id" = s."user_id" where s."token" = `,
      sessionColumns,
      userColumns,
    };
  }
  return statement;
}

function pick<T>(row: Record<string, unknown>, columns: Selected[]): T {
  const out: Record<string, unknown> = {};
  for (const { key, alias, column } of columns) {
    const value = row[alias];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T;
}

/** A session by its token with its user, in one statement; undefined when there is no such session. */
export async function findSessionWithUserByToken(
  db: Queryable,
  token: string,
): Promise<(Session & { user: User }) | undefined> {
  const { text, sessionColumns, userColumns } = sessionLookupStatement();
  const [row] = rowsOf<Record<string, unknown>>(await db.execute(sql`${sql.raw(text)}${token} limit 1`));
  if (!row) return undefined;
  return { ...pick<Session>(row, sessionColumns), user: pick<User>(row, userColumns) };
}
