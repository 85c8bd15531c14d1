import { getTableColumns } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";

/**
 * A select list written once per isolate from a Drizzle table, for statements on hot paths that are
 * sent as text rather than rebuilt by the query builder on every request. It follows the schema: the
 * columns and the mapping of their values (timestamps to dates) are the table's own.
 */
export interface Selection<T> {
  /** `alias."column" as "prefixkey", …` */
  readonly text: string;
  /** The row's selected values under the table's property names, mapped as Drizzle maps them. */
  read(row: Record<string, unknown>): T;
}

export function selectionOf<T>(
  table: PgTable,
  options: { alias: string; prefix?: string; keys?: readonly (keyof T & string)[] },
): Selection<T> {
  const prefix = options.prefix ?? "";
  const columns = Object.entries(getTableColumns(table))
    .filter(([key]) => !options.keys || options.keys.includes(key as keyof T & string))
    .map(([key, column]) => ({ key, as: `${prefix}${key}`, column: column as AnyPgColumn }));
  const text = columns.map(({ as, column }) => `${options.alias}."${column.name}" as "${as}"`).join(", ");
  return {
    text,
    read(row) {
      const out: Record<string, unknown> = {};
      for (const { key, as, column } of columns) {
        const value = row[as];
        out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return out as T;
    },
  };
}
