import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import { shortcutOn } from "../lib/shortcuts";

/**
 * Shortcut "inline-read" (docs/architecture.md): a read whose values are all plain is sent with its
 * values written in as literals, over the simple query protocol: one message and one answer. A
 * parameterised statement on a new postgres.js connection takes two round trips, as postgres.js asks the
 * server for the parameter types before it binds, and every request here has a new connection.
 * Switched off (or for any other read), the statement goes with parameters, as Drizzle sends it.
 */

const dialect = new PgDialect();

/**
 * Letters, digits and `_ . : + -` only: such a value cannot end or escape a quoted SQL literal, whatever
 * the server's string settings. Ids, tokens and ISO timestamps are plain.
 */
const PLAIN_TEXT = /^[\w.:+-]*$/;

/** The literal for a plain value: null, a boolean, a non-negative safe integer or plain text; else undefined. */
function literalOf(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  // A minus sign would bind looser than a cast written after the value.
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === "string") return PLAIN_TEXT.test(value) ? `'${value}'` : undefined;
  return undefined;
}

/**
 * The statement with each `$n` placeholder replaced by its value's literal, or undefined unless that is
 * certainly safe: every value plain, every placeholder in plain statement text (none inside a quoted
 * literal or identifier, and the statement has no comment, dollar quote or escape string at all), and
 * every value used exactly where Drizzle put its placeholder.
 */
export function inlinedStatement(query: SQL): string | undefined {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const literals = params.map(literalOf);
  if (literals.some((literal) => literal === undefined)) return undefined;
  let out = "";
  let used = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === "'" || char === '"') {
      // An escape string (E'…') reads backslashes: not scanned, never inlined.
      if (char === "'" && /[eE]/.test(text[at - 1] ?? "") && !/[\w$]/.test(text[at - 2] ?? "")) return undefined;
      let end = at + 1;
      for (;;) {
        end = text.indexOf(char, end);
        if (end < 0) return undefined;
        if (text[end + 1] !== char) break;
        end += 2;
      }
      out += text.slice(at, end + 1);
      at = end + 1;
      continue;
    }
    if ((char === "-" && text[at + 1] === "-") || (char === "/" && text[at + 1] === "*")) return undefined;
    if (char === "$") {
      const placeholder = /^\$(\d+)(?![\w$])/.exec(text.slice(at));
      if (!placeholder) return undefined;
      const literal = literals[Number(placeholder[1]) - 1];
      if (literal === undefined) return undefined;
      out += literal;
      used++;
      at += placeholder[0].length;
      continue;
    }
    out += char;
    at++;
  }
  return used === params.length ? out : undefined;
}

/** The read's rows in one round trip when the shortcut is on and the statement can be inlined; else undefined. */
export async function readInline<T>(client: Pick<postgres.Sql, "unsafe">, query: SQL): Promise<T[] | undefined> {
  if (!shortcutOn("inline-read")) return undefined;
  const text = inlinedStatement(query);
  if (text === undefined) return undefined;
  return Array.from(await client.unsafe(text).simple()) as unknown as T[];
}
