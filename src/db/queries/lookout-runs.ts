import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { type Lookout, type LookoutFrequency, type LookoutRun, lookoutRunClaim } from "../schema";

/** Keeps `run_history` bounded: the newest entries survive. */
export const RUN_HISTORY_LIMIT = 100;

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
 * marks them `running` and stamps `last_run_at`. The load scenarios under scripts/ (scenarios.mjs) copy it
 * for EXPLAIN ANALYZE; keep the two in step. Must run in the transaction that then calls `recordClaims`.
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
