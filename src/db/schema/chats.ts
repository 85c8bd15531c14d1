import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { index, integer, json, pgTable, real, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const chatVisibilities = ["public", "private"] as const;
export type ChatVisibility = (typeof chatVisibilities)[number];

export const messageRoles = ["user", "assistant", "tool"] as const;
export type MessageRole = (typeof messageRoles)[number];

/** A validated attachment descriptor as stored in `message.attachments`. */
export interface MessageAttachment {
  url: string;
  mediaType: string;
  name: string;
}

export const chat = pgTable(
  "chat",
  {
    id: text("id").primaryKey(),
    // No cascade: account deletion removes chats explicitly (and with them
    // messages and streams) before it removes the user.
    userId: text("user_id")
      .notNull()
      .references(() => user.id),
    title: text("title").notNull().default("New Chat"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    visibility: varchar("visibility", { enum: chatVisibilities }).notNull().default("private"),
  },
  (t) => [
    index("chat_user_id_idx").on(t.userId),
    index("chat_created_at_idx").on(t.createdAt),
    // Keyset pagination of a user's chats, newest first (scanned backwards).
    index("chat_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
  ],
);

export const message = pgTable(
  "message",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chat.id, { onDelete: "cascade" }),
    // Plain text in the database (the seed has no CHECK); the union is enforced in code.
    role: text("role").$type<MessageRole>().notNull(),
    // AI SDK UI message parts; their shape belongs to the AI SDK version in use.
    parts: json("parts").$type<unknown[]>().notNull(),
    attachments: json("attachments").$type<MessageAttachment[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Generation metadata exists only on assistant messages.
    model: text("model"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    totalTokens: integer("total_tokens"),
    // Seconds.
    completionTime: real("completion_time"),
  },
  (t) => [
    index("message_chat_id_idx").on(t.chatId),
    index("message_created_at_idx").on(t.createdAt),
    // Keyset pagination of a chat's messages on (created_at, id).
    index("message_chat_id_created_at_id_idx").on(t.chatId, t.createdAt, t.id),
  ],
);

export const stream = pgTable("stream", {
  id: text("id").primaryKey(),
  chatId: text("chat_id")
    .notNull()
    .references(() => chat.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Chat = InferSelectModel<typeof chat>;
export type NewChat = InferInsertModel<typeof chat>;
export type Message = InferSelectModel<typeof message>;
export type NewMessage = InferInsertModel<typeof message>;
export type Stream = InferSelectModel<typeof stream>;
export type NewStream = InferInsertModel<typeof stream>;
