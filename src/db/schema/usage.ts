import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth";

// One row per user and period. The unique (user_id, date) index is the conflict
// target of the atomic increment-and-check upsert, so it must stay unique.

export const messageUsage = pgTable(
  "message_usage",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    messageCount: integer("message_count").notNull().default(0),
    // Start of the UTC day.
    date: timestamp("date", { withTimezone: true }).notNull(),
    // Next UTC midnight.
    resetAt: timestamp("reset_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("message_usage_user_id_date_idx").on(t.userId, t.date)],
);

export const extremeSearchUsage = pgTable(
  "extreme_search_usage",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    searchCount: integer("search_count").notNull().default(0),
    // First instant of the UTC month.
    date: timestamp("date", { withTimezone: true }).notNull(),
    // First instant of the next UTC month.
    resetAt: timestamp("reset_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("extreme_search_usage_user_id_date_idx").on(t.userId, t.date)],
);

export type MessageUsage = InferSelectModel<typeof messageUsage>;
export type NewMessageUsage = InferInsertModel<typeof messageUsage>;
export type ExtremeSearchUsage = InferSelectModel<typeof extremeSearchUsage>;
export type NewExtremeSearchUsage = InferInsertModel<typeof extremeSearchUsage>;
