import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Not a seed table: the ids of deleted chats, kept for good. Chat ids are chosen by clients and a
 * public chat's id is its share link, so a deleted id that could be created again would serve whoever
 * took it under the old link. No one, its owner included, creates a chat under an id listed here.
 * Written in the statement that deletes the chat; no foreign key, as the owner may be deleted later.
 */
export const deletedChat = pgTable("deleted_chat", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }).notNull().defaultNow(),
});
