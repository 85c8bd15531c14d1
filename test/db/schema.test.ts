import { env } from "cloudflare:workers";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The expectation below is transcribed from the seed schema document
// (database-schema.md). The test compares it with the live catalog of the
// migrated database, so a migration that drifts from the seed fails here with
// a diff instead of surfacing later as a runtime error.

type ColumnType = "text" | "character varying" | "timestamp with time zone" | "boolean" | "integer" | "real" | "json";

interface ColumnSpec {
  type: ColumnType;
  nullable: boolean;
  /** Exactly as Postgres reports it in information_schema.columns.column_default; null = no default. */
  default: string | null;
}

type DeleteRule = "CASCADE" | "NO ACTION";

interface ForeignKeySpec {
  column: string;
  references: string;
  onDelete: DeleteRule;
}

interface IndexSpec {
  table: string;
  columns: string[];
  unique: boolean;
}

interface TableSpec {
  columns: Record<string, ColumnSpec>;
  primaryKey: string[];
  foreignKeys: ForeignKeySpec[];
  /** Every uniqueness guarantee besides the primary key, as column lists. */
  unique: string[][];
}

const TS = "timestamp with time zone";

const notNull = (type: ColumnType, defaultValue: string | null = null): ColumnSpec => ({
  type,
  nullable: false,
  default: defaultValue,
});
const nullable = (type: ColumnType): ColumnSpec => ({ type, nullable: true, default: null });

const NOW = "now()";
const ID = notNull("text");
const CREATED_AT = notNull(TS, NOW);
const UPDATED_AT = notNull(TS, NOW);

const expectedTables: Record<string, TableSpec> = {
  user: {
    columns: {
      id: ID,
      name: notNull("text"),
      email: notNull("text"),
      email_verified: notNull("boolean", "false"),
      image: nullable("text"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [],
    unique: [["email"]],
  },
  session: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      expires_at: notNull(TS),
      token: notNull("text"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
      ip_address: nullable("text"),
      user_agent: nullable("text"),
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [["token"]],
  },
  account: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      account_id: notNull("text"),
      provider_id: notNull("text"),
      access_token: nullable("text"),
      refresh_token: nullable("text"),
      id_token: nullable("text"),
      access_token_expires_at: nullable(TS),
      refresh_token_expires_at: nullable(TS),
      scope: nullable("text"),
      password: nullable("text"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [],
  },
  verification: {
    columns: {
      id: ID,
      identifier: notNull("text"),
      value: notNull("text"),
      expires_at: notNull(TS),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [],
    unique: [],
  },
  chat: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      title: notNull("text", "'New Chat'::text"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
      visibility: notNull("character varying", "'private'::character varying"),
    },
    primaryKey: ["id"],
    // Not cascading: chats are removed explicitly before their user.
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "NO ACTION" }],
    unique: [],
  },
  message: {
    columns: {
      id: ID,
      chat_id: notNull("text"),
      role: notNull("text"),
      parts: notNull("json"),
      attachments: notNull("json", "'[]'::json"),
      created_at: CREATED_AT,
      model: nullable("text"),
      input_tokens: nullable("integer"),
      output_tokens: nullable("integer"),
      total_tokens: nullable("integer"),
      completion_time: nullable("real"),
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "chat_id", references: "chat.id", onDelete: "CASCADE" }],
    unique: [],
  },
  stream: {
    columns: {
      id: ID,
      chat_id: notNull("text"),
      created_at: CREATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "chat_id", references: "chat.id", onDelete: "CASCADE" }],
    unique: [],
  },
  subscription: {
    columns: {
      id: ID,
      user_id: nullable("text"),
      created_at: notNull(TS),
      modified_at: nullable(TS),
      amount: notNull("integer"),
      currency: notNull("text"),
      recurring_interval: notNull("text"),
      status: notNull("text"),
      current_period_start: notNull(TS),
      current_period_end: nullable(TS),
      cancel_at_period_end: notNull("boolean", "false"),
      canceled_at: nullable(TS),
      started_at: nullable(TS),
      ends_at: nullable(TS),
      ended_at: nullable(TS),
      customer_id: notNull("text"),
      product_id: notNull("text"),
      discount_id: nullable("text"),
      checkout_id: nullable("text"),
      customer_cancellation_reason: nullable("text"),
      customer_cancellation_comment: nullable("text"),
      metadata: nullable("text"),
      custom_field_data: nullable("text"),
    },
    primaryKey: ["id"],
    // Not cascading and nullable: billing rows outlive the user.
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "NO ACTION" }],
    unique: [],
  },
  payment: {
    columns: {
      id: ID,
      user_id: nullable("text"),
      created_at: notNull(TS),
      updated_at: nullable(TS),
      brand_id: nullable("text"),
      business_id: nullable("text"),
      card_issuing_country: nullable("text"),
      card_last_four: nullable("text"),
      card_network: nullable("text"),
      card_type: nullable("text"),
      currency: notNull("text"),
      digital_products_delivered: nullable("boolean"),
      discount_id: nullable("text"),
      error_code: nullable("text"),
      error_message: nullable("text"),
      payment_link: nullable("text"),
      payment_method: nullable("text"),
      payment_method_type: nullable("text"),
      settlement_amount: nullable("integer"),
      settlement_currency: nullable("text"),
      settlement_tax: nullable("integer"),
      status: nullable("text"),
      subscription_id: nullable("text"),
      tax: nullable("integer"),
      total_amount: notNull("integer"),
      billing: nullable("json"),
      customer: nullable("json"),
      disputes: nullable("json"),
      metadata: nullable("json"),
      product_cart: nullable("json"),
      refunds: nullable("json"),
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "NO ACTION" }],
    unique: [],
  },
  extreme_search_usage: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      search_count: notNull("integer", "0"),
      date: notNull(TS),
      reset_at: notNull(TS),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [["user_id", "date"]],
  },
  message_usage: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      message_count: notNull("integer", "0"),
      date: notNull(TS),
      reset_at: notNull(TS),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [["user_id", "date"]],
  },
  custom_instructions: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      content: notNull("text"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [["user_id"]],
  },
  lookout: {
    columns: {
      id: ID,
      user_id: notNull("text"),
      title: notNull("text"),
      prompt: notNull("text"),
      frequency: notNull("text"),
      cron_schedule: notNull("text", "''::text"),
      timezone: notNull("text"),
      next_run_at: nullable(TS),
      qstash_schedule_id: nullable("text"),
      status: notNull("text", "'active'::text"),
      last_run_at: nullable(TS),
      // A plain column on purpose: no foreign key to chat.
      last_run_chat_id: nullable("text"),
      run_history: notNull("json", "'[]'::json"),
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    },
    primaryKey: ["id"],
    foreignKeys: [{ column: "user_id", references: "user.id", onDelete: "CASCADE" }],
    unique: [],
  },
};

// The seed's index list plus the indexes that back its unique keys.
const expectedIndexes: Record<string, IndexSpec> = {
  user_email_idx: { table: "user", columns: ["email"], unique: true },
  session_token_idx: { table: "session", columns: ["token"], unique: true },
  chat_user_id_idx: { table: "chat", columns: ["user_id"], unique: false },
  chat_created_at_idx: { table: "chat", columns: ["created_at"], unique: false },
  message_chat_id_idx: { table: "message", columns: ["chat_id"], unique: false },
  message_created_at_idx: { table: "message", columns: ["created_at"], unique: false },
  message_usage_user_id_date_idx: {
    table: "message_usage",
    columns: ["user_id", "date"],
    unique: true,
  },
  extreme_search_usage_user_id_date_idx: {
    table: "extreme_search_usage",
    columns: ["user_id", "date"],
    unique: true,
  },
  custom_instructions_user_id_idx: {
    table: "custom_instructions",
    columns: ["user_id"],
    unique: true,
  },
  lookout_user_id_idx: { table: "lookout", columns: ["user_id"], unique: false },
  lookout_status_idx: { table: "lookout", columns: ["status"], unique: false },
  lookout_next_run_at_idx: { table: "lookout", columns: ["next_run_at"], unique: false },
};

// Tables added by later migrations go here, so an unexpected table still fails.
const allowedExtraTables: string[] = [
  "rate_limit",
  "webhook_event",
  "lookout_run_claim",
  "payment_refund",
  "payment_dispute",
  "deleted_chat",
  "lookout_notification",
];

// Migration bookkeeping, whichever schema the migrator puts it in.
const bookkeepingTables = ["__drizzle_migrations"];

interface ActualColumn {
  type: string;
  nullable: boolean;
  default: string | null;
}

interface Catalog {
  tables: string[];
  columns: Map<string, Record<string, ActualColumn>>;
  primaryKeys: Map<string, string[]>;
  foreignKeys: Map<string, ForeignKeySpec[]>;
  unique: Map<string, string[][]>;
  indexes: Map<string, IndexSpec & { definition: string }>;
}

const byColumns = (a: string[], b: string[]): number => a.join(",").localeCompare(b.join(","));
const byFkColumn = (a: ForeignKeySpec, b: ForeignKeySpec): number =>
  `${a.column}>${a.references}`.localeCompare(`${b.column}>${b.references}`);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Parses the column list of a plain (non-expression) index from pg_indexes.indexdef. */
function indexColumns(definition: string): string[] {
  const match = /USING \w+ \((.+)\)(?: WHERE .*)?$/.exec(definition);
  if (!match?.[1]) throw new Error(`Cannot parse index definition: ${definition}`);
  return match[1].split(",").map((part) => part.trim().replace(/^"(.*)"$/, "$1"));
}

async function readCatalog(sql: postgres.Sql): Promise<Catalog> {
  const tableRows = await sql<{ table_name: string }[]>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
  `;
  const tables = tableRows.map((r) => r.table_name).filter((t) => !bookkeepingTables.includes(t));

  const columnRows = await sql<
    {
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: "YES" | "NO";
      column_default: string | null;
    }[]
  >`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns
    where table_schema = 'public'
  `;
  const columns = new Map<string, Record<string, ActualColumn>>();
  for (const row of columnRows) {
    const table = columns.get(row.table_name) ?? {};
    table[row.column_name] = {
      type: row.data_type,
      nullable: row.is_nullable === "YES",
      default: row.column_default,
    };
    columns.set(row.table_name, table);
  }

  const pkRows = await sql<{ table_name: string; column_name: string; constraint_name: string }[]>`
    select tc.table_name, kcu.column_name, tc.constraint_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_schema = tc.constraint_schema
     and kcu.constraint_name = tc.constraint_name
     and kcu.table_name = tc.table_name
    where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
    order by tc.table_name, kcu.ordinal_position
  `;
  const primaryKeys = new Map<string, string[]>();
  for (const row of pkRows) push(primaryKeys, row.table_name, row.column_name);
  const pkConstraintNames = new Set(pkRows.map((r) => r.constraint_name));

  // Single-column foreign keys only; a composite one would show up as several
  // rows and fail the comparison, which is the right outcome for this schema.
  const fkRows = await sql<
    {
      table_name: string;
      column_name: string;
      foreign_table: string;
      foreign_column: string;
      delete_rule: string;
    }[]
  >`
    select kcu.table_name, kcu.column_name,
           ccu.table_name as foreign_table, ccu.column_name as foreign_column,
           rc.delete_rule
    from information_schema.referential_constraints rc
    join information_schema.key_column_usage kcu
      on kcu.constraint_schema = rc.constraint_schema
     and kcu.constraint_name = rc.constraint_name
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_schema = rc.unique_constraint_schema
     and ccu.constraint_name = rc.unique_constraint_name
    where rc.constraint_schema = 'public'
  `;
  const foreignKeys = new Map<string, ForeignKeySpec[]>();
  for (const row of fkRows) {
    push(foreignKeys, row.table_name, {
      column: row.column_name,
      references: `${row.foreign_table}.${row.foreign_column}`,
      onDelete: row.delete_rule as DeleteRule,
    });
  }

  // Unique indexes cover both UNIQUE constraints and unique indexes; the
  // primary key's own index is excluded.
  const indexRows = await sql<{ tablename: string; indexname: string; indexdef: string }[]>`
    select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'
  `;
  const indexes = new Map<string, IndexSpec & { definition: string }>();
  const unique = new Map<string, string[][]>();
  for (const row of indexRows) {
    if (pkConstraintNames.has(row.indexname)) continue;
    const spec = {
      table: row.tablename,
      columns: indexColumns(row.indexdef),
      unique: row.indexdef.startsWith("CREATE UNIQUE INDEX"),
      definition: row.indexdef,
    };
    indexes.set(row.indexname, spec);
    if (spec.unique) push(unique, row.tablename, spec.columns);
  }

  return { tables, columns, primaryKeys, foreignKeys, unique, indexes };
}

describe("database schema matches the seed document", () => {
  let sql: postgres.Sql;
  let catalog: Catalog;

  beforeAll(async () => {
    const { HYPERDRIVE } = env as unknown as { HYPERDRIVE: Hyperdrive };
    sql = postgres(HYPERDRIVE.connectionString, { max: 1, fetch_types: false });
    catalog = await readCatalog(sql);
  });

  afterAll(async () => {
    await sql?.end();
  });

  it("has exactly the seed tables (plus allowed extras)", () => {
    const expected = [...Object.keys(expectedTables), ...allowedExtraTables].sort();
    expect([...catalog.tables].sort()).toEqual(expected);
  });

  for (const [table, spec] of Object.entries(expectedTables)) {
    describe(`table ${table}`, () => {
      it("has exactly the seed columns", () => {
        const actual = Object.keys(catalog.columns.get(table) ?? {}).sort();
        expect(actual).toEqual(Object.keys(spec.columns).sort());
      });

      it("has the expected column types, nullability and defaults", () => {
        const actual = catalog.columns.get(table) ?? {};
        // Compared as one object so a failure shows every drifted column at once.
        const comparable = Object.fromEntries(
          Object.keys(spec.columns).map((column) => [column, actual[column] ?? "missing"]),
        );
        expect(comparable).toEqual(spec.columns);
      });

      it("has the expected primary key", () => {
        expect(catalog.primaryKeys.get(table) ?? []).toEqual(spec.primaryKey);
      });

      it("has exactly the expected foreign keys and delete rules", () => {
        const actual = [...(catalog.foreignKeys.get(table) ?? [])].sort(byFkColumn);
        expect(actual).toEqual([...spec.foreignKeys].sort(byFkColumn));
      });

      it("has exactly the expected unique keys", () => {
        const actual = [...(catalog.unique.get(table) ?? [])].sort(byColumns);
        expect(actual).toEqual([...spec.unique].sort(byColumns));
      });
    });
  }

  it("has every seed index with its exact columns", () => {
    // Later migrations may add indexes; only the seed's must be present as specified.
    const actual = Object.fromEntries(
      Object.keys(expectedIndexes).map((name) => {
        const index = catalog.indexes.get(name);
        return [name, index ? { table: index.table, columns: index.columns, unique: index.unique } : "missing"];
      }),
    );
    expect(actual).toEqual(expectedIndexes);
  });
});
