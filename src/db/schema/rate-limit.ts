import { bigint, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

// Not a seed table: better-auth's rate limiter keeps its counters here so every isolate and every
// edge location shares them (per-isolate memory would let brute force spread across locations).
export const rateLimit = pgTable(
  "rate_limit",
  {
    id: text("id").primaryKey(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
    lastRequest: bigint("last_request", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("rate_limit_key_idx").on(t.key)],
);
