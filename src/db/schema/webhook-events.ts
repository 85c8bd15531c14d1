import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Not a seed table: the durable record of processed webhook deliveries. Written in the same
// transaction as a delivery's effect, so a redelivered `webhook-id` is recognised and does nothing.
export const webhookEvent = pgTable(
  "webhook_event",
  {
    provider: text("provider").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventType: text("event_type").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.webhookId] })],
);
