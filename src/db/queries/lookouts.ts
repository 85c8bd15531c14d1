import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { type Lookout, type LookoutFrequency, type LookoutStatus, lookout, lookoutRunClaim } from "../schema";
import { exactCreatedAt, type KeysetPosition, keysetAfter } from "./keyset";
import { emailsEnabledOf } from "./lookout-notifications";

/** A lookout with its notification setting (which lives in a table of its own). */
export type LookoutRow = Lookout & { emailsEnabled: boolean };
export type LookoutPageRow = LookoutRow & { position: string };

/**
 * Serialises lookout-count checks per user for the rest of the transaction, so two concurrent creates
 * (or resumes) cannot both pass a limit that only one of them fits under.
 */
export async function lockUserLookouts(db: Queryable, userId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lookout-limits:${userId}`}, 0))`);
}

export async function countUserLookouts(
  db: Queryable,
  params: { userId: string; exceptId?: string },
): Promise<{ total: number; activeDaily: number }> {
  const [row] = rowsOf<{ total: number; active_daily: number }>(
    await db.execute(sql`
      select count(*)::int as total,
             count(*) filter (where ${lookout.frequency} = 'daily' and ${lookout.status} in ('active', 'running'))::int as active_daily
      from ${lookout}
      where ${lookout.userId} = ${params.userId}
        ${params.exceptId ? sql`and ${lookout.id} <> ${params.exceptId}` : sql``}`),
  );
  return { total: row?.total ?? 0, activeDaily: row?.active_daily ?? 0 };
}

export async function insertLookout(
  db: Queryable,
  values: {
    id: string;
    userId: string;
    title: string;
    prompt: string;
    frequency: LookoutFrequency;
    cronSchedule: string;
    timezone: string;
    nextRunAt: Date;
  },
): Promise<LookoutRow> {
  const [row] = await db
    .insert(lookout)
    .values({ ...values, status: "active", runHistory: [] })
    .returning();
  if (!row) throw new Error("lookout insert returned nothing");
  // Lookout ids are new UUIDs, so no setting can exist for it yet.
  return { ...row, emailsEnabled: true };
}

const lookoutColumns = {
  id: lookout.id,
  userId: lookout.userId,
  title: lookout.title,
  prompt: lookout.prompt,
  frequency: lookout.frequency,
  cronSchedule: lookout.cronSchedule,
  timezone: lookout.timezone,
  nextRunAt: lookout.nextRunAt,
  qstashScheduleId: lookout.qstashScheduleId,
  status: lookout.status,
  lastRunAt: lookout.lastRunAt,
  lastRunChatId: lookout.lastRunChatId,
  runHistory: lookout.runHistory,
  createdAt: lookout.createdAt,
  updatedAt: lookout.updatedAt,
};

export const lookoutRowColumns = { ...lookoutColumns, emailsEnabled: emailsEnabledOf(lookout.id) };

/** The lookout when `userId` owns it; undefined for missing and for someone else's. */
export async function findOwnedLookout(
  db: Queryable,
  params: { id: string; userId: string; forUpdate?: boolean },
): Promise<LookoutRow | undefined> {
  const query = db
    .select(lookoutRowColumns)
    .from(lookout)
    .where(and(eq(lookout.id, params.id), eq(lookout.userId, params.userId)))
    .limit(1);
  const [row] = params.forUpdate ? await query.for("update") : await query;
  return row;
}

/** A user's lookouts, newest first, strictly after `after` in (created_at, id) order. */
export async function listLookoutsByUser(
  db: Queryable,
  params: { userId: string; limit: number; after?: KeysetPosition },
): Promise<LookoutPageRow[]> {
  const { userId, limit, after } = params;
  return db
    .select({ ...lookoutRowColumns, position: exactCreatedAt(lookout.createdAt) })
    .from(lookout)
    .where(and(eq(lookout.userId, userId), after ? keysetAfter(lookout.createdAt, lookout.id, after, "<") : undefined))
    .orderBy(desc(lookout.createdAt), desc(lookout.id))
    .limit(limit);
}

export type LookoutChanges = Partial<
  Pick<Lookout, "title" | "prompt" | "frequency" | "cronSchedule" | "timezone" | "nextRunAt" | "status">
>;

/** Applies the changes to the owner's lookout when its status is one of `statusIn`. */
export async function updateOwnedLookout(
  db: Queryable,
  params: { id: string; userId: string; changes: LookoutChanges; statusIn: readonly LookoutStatus[] },
): Promise<LookoutRow | undefined> {
  const [row] = await db
    .update(lookout)
    .set({ ...params.changes, updatedAt: sql`now()` })
    .where(
      and(eq(lookout.id, params.id), eq(lookout.userId, params.userId), inArray(lookout.status, [...params.statusIn])),
    )
    .returning(lookoutRowColumns);
  return row;
}

/**
 * Deletes the owner's lookout (its run claim goes by cascade). Returns undefined when there is no such
 * lookout of this user, else when its run in flight, if any, had counted its extreme search. Run it in a
 * transaction: the claim is locked first, so a run counting its search at the same moment either has
 * committed (and is seen here) or finds its claim gone and rolls its count back.
 */
export async function deleteOwnedLookout(
  db: Queryable,
  params: { id: string; userId: string },
): Promise<{ searchReservedAt: Date | null } | undefined> {
  const [claim] = await db
    .select({ searchReservedAt: lookoutRunClaim.searchReservedAt })
    .from(lookoutRunClaim)
    .innerJoin(lookout, eq(lookout.id, lookoutRunClaim.lookoutId))
    .where(and(eq(lookoutRunClaim.lookoutId, params.id), eq(lookout.userId, params.userId)))
    .for("update", { of: lookoutRunClaim });
  const rows = await db
    .delete(lookout)
    .where(and(eq(lookout.id, params.id), eq(lookout.userId, params.userId)))
    .returning({ id: lookout.id });
  if (rows.length === 0) return undefined;
  return { searchReservedAt: claim?.searchReservedAt ?? null };
}

/**
 * Marks a run-now claim: the owner's lookout becomes `running` when it is idle (active or paused).
 * Returns the status it had, or undefined when it is not the owner's or not idle.
 */
export async function claimLookoutNow(
  db: Queryable,
  params: { id: string; userId: string; now: Date },
): Promise<{ previousStatus: "active" | "paused"; lookout: LookoutRow } | undefined> {
  const [current] = await db
    .select({ status: lookout.status })
    .from(lookout)
    .where(and(eq(lookout.id, params.id), eq(lookout.userId, params.userId)))
    .for("update");
  if (!current || (current.status !== "active" && current.status !== "paused")) return undefined;
  const [row] = await db
    .update(lookout)
    .set({ status: "running", lastRunAt: params.now, updatedAt: sql`now()` })
    .where(eq(lookout.id, params.id))
    .returning(lookoutRowColumns);
  if (!row) return undefined;
  return { previousStatus: current.status, lookout: row };
}
