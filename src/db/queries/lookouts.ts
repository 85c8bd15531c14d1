import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { KeysetPosition } from "../../lib/keyset-cursor";
import { type Queryable, rowsOf } from "../client";
import {
  chat,
  type Lookout,
  type LookoutFrequency,
  type LookoutRun,
  type LookoutStatus,
  lookout,
  lookoutRunClaim,
  message,
} from "../schema";
import { emailsEnabledOf } from "./lookout-notifications";

/** Keeps `run_history` bounded: the newest entries survive. */
export const RUN_HISTORY_LIMIT = 100;

/** A lookout with its notification setting (which lives in a table of its own). */
export type LookoutRow = Lookout & { emailsEnabled: boolean };
export type LookoutPageRow = LookoutRow & { position: string };

const exactCreatedAt = sql<string>`to_char(${lookout.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

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

const lookoutRowColumns = { ...lookoutColumns, emailsEnabled: emailsEnabledOf(lookout.id) };

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
  const at = after ? sql`${after.createdAt}::text::timestamptz` : undefined;
  return db
    .select({ ...lookoutRowColumns, position: exactCreatedAt })
    .from(lookout)
    .where(
      and(
        eq(lookout.userId, userId),
        after && at ? sql`(${lookout.createdAt}, ${lookout.id}) < (${at}, ${after.id})` : undefined,
      ),
    )
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

/** A claimed lookout as the dispatcher needs it to compute the next run. */
export interface ClaimedLookout {
  id: string;
  frequency: LookoutFrequency;
  cronSchedule: string;
  timezone: string;
  scheduledFor: Date;
}

/**
 * Claims up to `limit` due lookouts in one statement: locks them (skipping rows another dispatcher holds),
 * marks them `running` and stamps `last_run_at`. Copied in scripts/bench/scenarios.mjs for EXPLAIN
 * ANALYZE; keep the two in step. Must run in the transaction that then calls `recordClaims`.
 */
export async function claimDueLookouts(db: Queryable, params: { now: Date; limit: number }): Promise<ClaimedLookout[]> {
  const now = params.now.toISOString();
  const rows = rowsOf<{
    id: string;
    frequency: LookoutFrequency;
    cron_schedule: string;
    timezone: string;
    scheduled_for: Date | string;
  }>(
    await db.execute(sql`
      with due as (
        select id, next_run_at from lookout
        where status = 'active' and next_run_at <= ${now}::timestamptz
        order by next_run_at
        limit ${params.limit}
        for update skip locked
      )
      update lookout as l
      set status = 'running', last_run_at = ${now}::timestamptz, updated_at = now()
      from due
      where l.id = due.id
      returning l.id, l.frequency, l.cron_schedule, l.timezone, due.next_run_at as scheduled_for`),
  );
  return rows.map((row) => ({
    id: row.id,
    frequency: row.frequency,
    cronSchedule: row.cron_schedule,
    timezone: row.timezone,
    scheduledFor: new Date(row.scheduled_for),
  }));
}

export interface NewClaim {
  lookoutId: string;
  runId: string;
  scheduledFor: Date;
  /** The next occurrence; null leaves `next_run_at` as it is (a `once` lookout, or a run-now). */
  nextRunAt: Date | null;
  resumeStatus: "active" | "paused";
}

/** Stores the claims and advances `next_run_at`, in one statement. */
export async function recordClaims(db: Queryable, params: { claims: NewClaim[]; now: Date }): Promise<void> {
  if (params.claims.length === 0) return;
  const ids = params.claims.map((claim) => claim.lookoutId);
  const runIds = params.claims.map((claim) => claim.runId);
  const scheduled = params.claims.map((claim) => claim.scheduledFor.toISOString());
  const next = params.claims.map((claim) => claim.nextRunAt?.toISOString() ?? null);
  const resume = params.claims.map((claim) => claim.resumeStatus);
  await db.execute(sql`
    with input as (
      select * from unnest(${textArray(ids)}, ${textArray(runIds)}, ${timestampArray(scheduled)},
                           ${timestampArray(next)}, ${textArray(resume)})
        as t(lookout_id, run_id, scheduled_for, next_run_at, resume_status)
    ),
    advanced as (
      update lookout as l set next_run_at = input.next_run_at
      from input
      where l.id = input.lookout_id and input.next_run_at is not null
    )
    insert into lookout_run_claim (lookout_id, run_id, scheduled_for, claimed_at, resume_status)
    select lookout_id, run_id, scheduled_for, ${params.now.toISOString()}::timestamptz, resume_status from input
    on conflict (lookout_id) do update
      set run_id = excluded.run_id, scheduled_for = excluded.scheduled_for, claimed_at = excluded.claimed_at,
          resume_status = excluded.resume_status, attempt = null, started_at = null, search_reserved_at = null`);
}

// Arrays go to Postgres as JSON text: no driver-specific array encoding, the same SQL on both drivers.
const textArray = (values: string[]) => sql`array(select json_array_elements_text(${JSON.stringify(values)}::json))`;
const timestampArray = (values: (string | null)[]) =>
  sql`array(select value::timestamptz from json_array_elements_text(${JSON.stringify(values)}::json) as value)`;

/**
 * Undoes claims whose queue messages could not be sent: the lookouts are due again at the occurrence
 * they were claimed for, so the next dispatch retries them instead of waiting for the sweep.
 */
export async function unclaim(db: Queryable, params: { runIds: string[]; restoreNextRun: boolean }): Promise<number> {
  if (params.runIds.length === 0) return 0;
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with released as (
        delete from lookout_run_claim
        where run_id = any(${textArray(params.runIds)})
        returning lookout_id, scheduled_for, resume_status
      )
      update lookout as l
      set status = case when ${params.restoreNextRun}::boolean then 'active' else released.resume_status end,
          next_run_at = case when ${params.restoreNextRun}::boolean then released.scheduled_for else l.next_run_at end,
          updated_at = now()
      from released
      where l.id = released.lookout_id and l.status = 'running'
      returning l.id`),
  );
  return rows.length;
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

/** The claim and its lookout, as a consumer starts a run. */
export interface StartedRun {
  lookout: Pick<Lookout, "id" | "userId" | "title" | "prompt" | "frequency" | "timezone">;
  claimedAt: Date;
  searchReservedAt: Date | null;
}

/**
 * Takes the run for this delivery attempt: only while `runId` is still the lookout's claim, and only if
 * no other delivery of the same or a later attempt holds it. Undefined = nothing to do (stale, unknown
 * or a duplicate in flight).
 */
export async function startRun(
  db: Queryable,
  params: { lookoutId: string; runId: string; attempt: number; now: Date },
): Promise<StartedRun | undefined> {
  const rows = rowsOf<{
    id: string;
    user_id: string;
    title: string;
    prompt: string;
    frequency: LookoutFrequency;
    timezone: string;
    claimed_at: Date | string;
    search_reserved_at: Date | string | null;
  }>(
    await db.execute(sql`
      update lookout_run_claim as c
      set attempt = ${params.attempt}, started_at = ${params.now.toISOString()}::timestamptz
      from lookout as l
      where c.lookout_id = ${params.lookoutId} and c.run_id = ${params.runId}
        and (c.attempt is null or c.attempt < ${params.attempt})
        and l.id = c.lookout_id and l.status = 'running'
      returning l.id, l.user_id, l.title, l.prompt, l.frequency, l.timezone, c.claimed_at, c.search_reserved_at`),
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    lookout: {
      id: row.id,
      userId: row.user_id,
      title: row.title,
      prompt: row.prompt,
      frequency: row.frequency,
      timezone: row.timezone,
    },
    claimedAt: new Date(row.claimed_at),
    searchReservedAt: row.search_reserved_at == null ? null : new Date(row.search_reserved_at),
  };
}

/** Notes that the run's extreme search is counted (in the transaction that counted it). */
export async function markSearchReserved(
  db: Queryable,
  params: { lookoutId: string; runId: string; at: Date },
): Promise<boolean> {
  const rows = await db
    .update(lookoutRunClaim)
    .set({ searchReservedAt: params.at })
    .where(and(eq(lookoutRunClaim.lookoutId, params.lookoutId), eq(lookoutRunClaim.runId, params.runId)))
    .returning({ id: lookoutRunClaim.lookoutId });
  return rows.length > 0;
}

/** `run_history` with `entry` appended, cut to the newest RUN_HISTORY_LIMIT entries. */
function appendRun(history: SQL, entry: SQL): SQL {
  return sql`(
    select coalesce(jsonb_agg(kept.e order by kept.n), '[]'::jsonb)::json
    from (
      select h.e, h.n
      from jsonb_array_elements(
        (case when json_typeof(${history}) = 'array' then ${history}::jsonb else '[]'::jsonb end)
        || jsonb_build_array(${entry})
      ) with ordinality as h(e, n)
      order by h.n desc
      limit ${sql.raw(String(RUN_HISTORY_LIMIT))}
    ) as kept)`;
}

/**
 * Ends the run `runId`: deletes its claim, appends `entry` to the history, returns the lookout to the
 * claim's resume status and, for a report, points `last_run_chat_id` at it. One statement, so a stale
 * run (claim already gone or replaced) changes nothing and returns undefined.
 */
export async function finishRun(
  db: Queryable,
  params: { lookoutId: string; runId: string; entry: Omit<LookoutRun, "runAt">; chatId?: string },
): Promise<{ userId: string; runAt: Date; searchReservedAt: Date | null } | undefined> {
  const entry = JSON.stringify(params.entry);
  const rows = rowsOf<{ user_id: string; claimed_at: Date | string; search_reserved_at: Date | string | null }>(
    await db.execute(sql`
      with ended as (
        delete from lookout_run_claim
        where lookout_id = ${params.lookoutId} and run_id = ${params.runId}
        returning lookout_id, claimed_at, resume_status, search_reserved_at
      )
      update lookout as l
      set status = ended.resume_status,
          run_history = ${appendRun(
            sql`l.run_history`,
            sql`jsonb_build_object('runAt', to_char(ended.claimed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || ${entry}::jsonb`,
          )},
          last_run_at = ended.claimed_at,
          last_run_chat_id = coalesce(${params.chatId ?? null}::text, l.last_run_chat_id),
          updated_at = now()
      from ended
      where l.id = ended.lookout_id
      returning l.user_id, ended.claimed_at, ended.search_reserved_at`),
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    userId: row.user_id,
    runAt: new Date(row.claimed_at),
    searchReservedAt: row.search_reserved_at == null ? null : new Date(row.search_reserved_at),
  };
}

/**
 * Releases runs claimed before `cutoff` (their consumer died or never got the message): records a
 * `timeout` run and restores the resume status. Rows another sweeper or a finishing consumer holds are
 * skipped, so concurrent sweeps release each run once.
 */
export async function releaseTimedOutRuns(
  db: Queryable,
  params: { cutoff: Date; now: Date; limit: number; error: string },
): Promise<Array<{ lookoutId: string; userId: string; searchReservedAt: Date | null }>> {
  const now = params.now.toISOString();
  const rows = rowsOf<{ id: string; user_id: string; search_reserved_at: Date | string | null }>(
    await db.execute(sql`
      with stale as (
        delete from lookout_run_claim as c
        where c.lookout_id in (
          select lookout_id from lookout_run_claim
          where claimed_at < ${params.cutoff.toISOString()}::timestamptz
          order by claimed_at
          limit ${params.limit}
          for update skip locked
        )
        returning c.lookout_id, c.claimed_at, c.resume_status, c.search_reserved_at
      )
      update lookout as l
      set status = stale.resume_status,
          run_history = ${appendRun(
            sql`l.run_history`,
            sql`jsonb_build_object(
              'runAt', to_char(stale.claimed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'chatId', null,
              'status', 'timeout',
              'error', ${params.error}::text,
              'duration', floor(extract(epoch from (${now}::timestamptz - stale.claimed_at)) * 1000)::bigint,
              'tokensUsed', 0,
              'searchesPerformed', 0)`,
          )},
          updated_at = now()
      from stale
      where l.id = stale.lookout_id
      returning l.id, l.user_id, stale.search_reserved_at`),
  );
  return rows.map((row) => ({
    lookoutId: row.id,
    userId: row.user_id,
    searchReservedAt: row.search_reserved_at == null ? null : new Date(row.search_reserved_at),
  }));
}

/**
 * Lookouts left `running` with no claim at all (written by something other than the dispatcher) since
 * before `cutoff`: back to active (or paused for `once`) with a `timeout` run. Returns their ids.
 */
export async function releaseUnclaimedRunning(
  db: Queryable,
  params: { cutoff: Date; limit: number; error: string },
): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update lookout as l
      set status = case when l.frequency = 'once' then 'paused' else 'active' end,
          run_history = ${appendRun(
            sql`l.run_history`,
            sql`jsonb_build_object(
              'runAt', to_char(coalesce(l.last_run_at, l.updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'chatId', null, 'status', 'timeout', 'error', ${params.error}::text,
              'duration', 0, 'tokensUsed', 0, 'searchesPerformed', 0)`,
          )},
          updated_at = now()
      where l.id in (
        select r.id from lookout as r
        where r.status = 'running'
          and coalesce(r.last_run_at, r.updated_at) < ${params.cutoff.toISOString()}::timestamptz
          and not exists (select 1 from lookout_run_claim c where c.lookout_id = r.id)
        limit ${params.limit}
        for update skip locked
      )
      returning l.id`),
  );
  return rows.map((row) => row.id);
}

// A report chat the owner deleted is skipped for the one before it, this many successful runs back at most.
const PREVIOUS_REPORT_CANDIDATES = 5;

/**
 * The report of the lookout's newest successful run whose chat its owner still has: when the run was
 * and the parts of the chat's first answer (the report itself, before anything the owner asked after it).
 */
export async function findPreviousReport(
  db: Queryable,
  params: { lookoutId: string; userId: string },
): Promise<{ runAt: Date; parts: unknown } | undefined> {
  const rows = rowsOf<{ run_at: string; parts: unknown }>(
    await db.execute(sql`
      with runs as (
        select h.e ->> 'chatId' as chat_id, h.e ->> 'runAt' as run_at, h.n
        from lookout as l,
          json_array_elements(case when json_typeof(l.run_history) = 'array' then l.run_history else '[]'::json end)
            with ordinality as h(e, n)
        where l.id = ${params.lookoutId} and h.e ->> 'status' = 'success' and h.e ->> 'chatId' is not null
        order by h.n desc
        limit ${PREVIOUS_REPORT_CANDIDATES}
      )
      select runs.run_at, report.parts
      from runs
      join chat as c on c.id = runs.chat_id and c.user_id = ${params.userId}
      cross join lateral (
        select m.parts from message as m
        where m.chat_id = c.id and m.role = 'assistant'
        order by m.created_at, m.id
        limit 1
      ) as report
      order by runs.n desc
      limit 1`),
  );
  const row = rows[0];
  if (!row) return undefined;
  const runAt = new Date(row.run_at);
  return Number.isNaN(runAt.getTime()) ? undefined : { runAt, parts: row.parts };
}

/** Saves a run's report as a new private chat: the prompt, then the report. */
export async function insertReportChat(
  db: Queryable,
  params: {
    chatId: string;
    userId: string;
    title: string;
    prompt: string;
    startedAt: Date;
    finishedAt: Date;
    report: {
      parts: unknown[];
      model: string;
      inputTokens: number;
      outputTokens: number;
      totalTokens: number;
      completionTime: number;
    };
  },
): Promise<void> {
  await db.insert(chat).values({
    id: params.chatId,
    userId: params.userId,
    title: params.title,
    visibility: "private",
    createdAt: params.startedAt,
    updatedAt: params.finishedAt,
  });
  // Distinct timestamps keep the prompt before the report in (created_at, id) order.
  const answeredAt = new Date(Math.max(params.finishedAt.getTime(), params.startedAt.getTime() + 1));
  await db.insert(message).values([
    {
      id: crypto.randomUUID(),
      chatId: params.chatId,
      role: "user",
      parts: [{ type: "text", text: params.prompt }],
      attachments: [],
      createdAt: params.startedAt,
    },
    {
      id: crypto.randomUUID(),
      chatId: params.chatId,
      role: "assistant",
      parts: params.report.parts,
      attachments: [],
      createdAt: answeredAt,
      model: params.report.model,
      inputTokens: params.report.inputTokens,
      outputTokens: params.report.outputTokens,
      totalTokens: params.report.totalTokens,
      completionTime: params.report.completionTime,
    },
  ]);
}
