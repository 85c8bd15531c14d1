import type { InferSelectModel } from "drizzle-orm";
import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { lookout } from "./features";

/**
 * Not a seed table: how a lookout's owner hears of its runs. A lookout without a row has the defaults
 * (emails on), so rows exist only once the owner changes something.
 */
export const lookoutNotification = pgTable("lookout_notification", {
  lookoutId: text("lookout_id")
    .primaryKey()
    .references(() => lookout.id, { onDelete: "cascade" }),
  emailsEnabled: boolean("emails_enabled").notNull().default(true),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type LookoutNotification = InferSelectModel<typeof lookoutNotification>;
