import type { InferSelectModel } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { type LookoutStatus, lookout } from "./features";

/**
 * The run a dispatcher claimed for a lookout, one row per lookout while it is `running`. The queue
 * message carries `run_id`; a consumer acts only while its run id is still the one stored here, so a
 * redelivered or timed-out message never runs or records twice. The row goes when the run is recorded.
 */
export const lookoutRunClaim = pgTable(
  "lookout_run_claim",
  {
    lookoutId: text("lookout_id")
      .primaryKey()
      .references(() => lookout.id, { onDelete: "cascade" }),
    runId: text("run_id").notNull(),
    // The occurrence this run is for (`next_run_at` when it was claimed, or the request time of a run-now).
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }).notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull(),
    // The status the lookout returns to when the run ends: `paused` for a `once` lookout that ran, else
    // the status it had (a run-now of a paused lookout leaves it paused).
    resumeStatus: text("resume_status").$type<Extract<LookoutStatus, "active" | "paused">>().notNull(),
    // The queue delivery attempt working on the run: a later attempt (a retry) takes over, a duplicate
    // delivery of the same attempt backs off.
    attempt: integer("attempt"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    // Set once the run's extreme search is counted, so a run that ends without a report gives it back.
    searchReservedAt: timestamp("search_reserved_at", { withTimezone: true }),
  },
  // The sweep looks for claims older than the run timeout.
  (t) => [index("lookout_run_claim_claimed_at_idx").on(t.claimedAt)],
);

export type LookoutRunClaim = InferSelectModel<typeof lookoutRunClaim>;
