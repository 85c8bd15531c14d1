import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { index, json, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const customInstructions = pgTable(
  "custom_instructions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    content: text("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  // At most one set of instructions per user; also the upsert conflict target.
  (t) => [uniqueIndex("custom_instructions_user_id_idx").on(t.userId)],
);

export const lookoutFrequencies = ["once", "daily", "weekly", "monthly", "yearly"] as const;
export type LookoutFrequency = (typeof lookoutFrequencies)[number];

export const lookoutStatuses = ["active", "paused", "archived", "running"] as const;
export type LookoutStatus = (typeof lookoutStatuses)[number];

export const lookoutRunStatuses = ["success", "error", "timeout"] as const;
export type LookoutRunStatus = (typeof lookoutRunStatuses)[number];

/** One entry of `lookout.run_history`. */
export interface LookoutRun {
  runAt: string;
  chatId: string | null;
  status: LookoutRunStatus;
  error?: string;
  /** Milliseconds. */
  duration: number;
  tokensUsed: number;
  searchesPerformed: number;
}

export const lookout = pgTable(
  "lookout",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    prompt: text("prompt").notNull(),
    // Plain text in the database (the seed has no CHECK); the unions are enforced in code.
    frequency: text("frequency").$type<LookoutFrequency>().notNull(),
    // Empty for `once` lookouts, which have no recurrence.
    cronSchedule: text("cron_schedule").notNull().default(""),
    // IANA time zone name.
    timezone: text("timezone").notNull(),
    // NULL when nothing is scheduled (a finished `once` lookout).
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    // Kept for schema compatibility; scheduling is done by the Worker, so it stays NULL.
    qstashScheduleId: text("qstash_schedule_id"),
    status: text("status").$type<LookoutStatus>().notNull().default("active"),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    // Deliberately not a foreign key: the seed declares no constraint here, and a
    // user deleting a generated chat must neither fail nor remove the lookout.
    // Readers must treat the id as possibly dangling.
    lastRunChatId: text("last_run_chat_id"),
    runHistory: json("run_history").$type<LookoutRun[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    index("lookout_user_id_idx").on(t.userId),
    index("lookout_status_idx").on(t.status),
    index("lookout_next_run_at_idx").on(t.nextRunAt),
  ],
);

export type CustomInstructions = InferSelectModel<typeof customInstructions>;
export type NewCustomInstructions = InferInsertModel<typeof customInstructions>;
export type Lookout = InferSelectModel<typeof lookout>;
export type NewLookout = InferInsertModel<typeof lookout>;
