import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { LookoutRun } from "../../src/db/schema";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/lib/log";
import { retryDelaySeconds } from "../../src/queues/lookout-runs.consumer";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE, type LookoutRunMessage } from "../../src/queues/lookout-runs.messages";
import { DEAD_LETTER_ERROR } from "../../src/queues/lookout-runs-dlq.consumer";
import { deleteLookout } from "../../src/services/lookouts/delete-lookout";
import { dispatchDueLookouts } from "../../src/services/lookouts/dispatch-due-lookouts";
import { PLAN_ERROR } from "../../src/services/lookouts/execute-lookout-run";
import { sweepStuckLookouts, TIMEOUT_ERROR } from "../../src/services/lookouts/sweep-stuck-lookouts";
import { createLogMailer } from "../../src/services/mail/mailer";
import { useTestDatabase } from "../support/db";
import { createExtremeSearchUsage, createLookout, createProUser, createUser } from "../support/factories";
import { useModel } from "../support/models";
import worker from "../support/worker";
import { brokenModel, gatedModel, reportModel } from "./support";

const { sql, db, handle, newHandle } = useTestDatabase();
const testModel = useModel();
const handles = [handle, newHandle()];
const log = createLogger({}, "error");

async function newUser(pro: boolean): Promise<string> {
  const created = pro ? await createProUser(db) : await createUser(db);
  return created.id;
}

/** A fake producer that records what the dispatcher sends. */
function capturingQueue() {
  const sent: LookoutRunMessage[] = [];
  return {
    sent,
    async sendBatch(messages: Iterable<MessageSendRequest<unknown>>) {
      for (const message of messages) sent.push(message.body as LookoutRunMessage);
    },
  };
}

// Dispatcher tests work in the distant past: nothing else in the suite has lookouts due then, and the
// claims they leave behind are far older than any real sweep's cutoff only after the assertions ran.
describe("dispatcher", () => {
  it("two dispatchers at once over 500 due lookouts send exactly 500 messages; paused, archived and running are never claimed", async () => {
    const userId = await newUser(true);
    const base = Date.parse("1991-03-01T07:00:00Z");
    const due = new Set<string>();
    const lookouts = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        createLookout(db, { userId, nextRunAt: new Date(base + index * 1000) }),
      ),
    );
    for (const { id } of lookouts) due.add(id);
    const idle = (
      await Promise.all(
        (["paused", "archived", "running"] as const).map((status) =>
          createLookout(db, { userId, status, nextRunAt: new Date(base) }),
        ),
      )
    ).map(({ id }) => id);
    const now = () => new Date("1991-03-02T00:00:00Z");
    const queues = [capturingQueue(), capturingQueue()];
    const results = await Promise.all(
      queues.map((queue, index) =>
        dispatchDueLookouts({ ctx: { db: (handles[index] as (typeof handles)[number]).db, queue, log, now } }),
      ),
    );
    const sent = queues.flatMap((queue) => queue.sent);
    const mine = sent.filter((message) => due.has(message.lookoutId));
    expect(mine).toHaveLength(500);
    expect(new Set(mine.map((message) => message.lookoutId)).size).toBe(500);
    expect(new Set(sent.map((message) => message.runId)).size).toBe(sent.length);
    expect(sent.filter((message) => idle.includes(message.lookoutId))).toEqual([]);
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(sent.length);
    // Both dispatchers took part (SKIP LOCKED shares the work instead of serialising it).
    expect(queues.every((queue) => queue.sent.length > 0)).toBe(true);

    const rows = await sql`
      select l.status, l.next_run_at, c.run_id from lookout l left join lookout_run_claim c on c.lookout_id = l.id
      where l.user_id = ${userId}`;
    const claimed = rows.filter((row) => row.run_id);
    expect(claimed).toHaveLength(500);
    expect(new Set(claimed.map((row) => row.run_id))).toEqual(new Set(mine.map((message) => message.runId)));
    // 08:00 Berlin (CET) the next morning.
    expect(new Set(claimed.map((row) => new Date(row.next_run_at).toISOString()))).toEqual(
      new Set(["1991-03-02T07:00:00.000Z"]),
    );
    expect(
      rows
        .filter((row) => !row.run_id)
        .map((row) => row.status)
        .sort(),
    ).toEqual(["archived", "paused", "running"]);
    await sql`delete from lookout where user_id = ${userId}`;
  });

  it("turns missed occurrences after downtime into one run, next due at the next occurrence after now", async () => {
    const userId = await newUser(true);
    const { id } = await createLookout(db, { userId, nextRunAt: new Date("1990-01-01T07:00:00Z") });
    const now = () => new Date("1990-06-01T12:00:00Z");
    const queue = capturingQueue();
    await dispatchDueLookouts({ ctx: { db, queue, log, now } });
    expect(queue.sent.filter((message) => message.lookoutId === id)).toHaveLength(1);
    const [row] = await sql`select status, next_run_at, last_run_at from lookout where id = ${id}`;
    expect(row?.status).toBe("running");
    // 08:00 CEST on 2 June.
    expect(new Date(row?.next_run_at).toISOString()).toBe("1990-06-02T06:00:00.000Z");
    // As if the run ended: it is not due again at the same moment.
    await sql`delete from lookout_run_claim where lookout_id = ${id}`;
    await sql`update lookout set status = 'active' where id = ${id}`;
    await dispatchDueLookouts({ ctx: { db, queue, log, now } });
    expect(queue.sent.filter((message) => message.lookoutId === id)).toHaveLength(1);
    await sql`delete from lookout where user_id = ${userId}`;
  });

  it("unclaims a batch whose messages could not be sent, so the next dispatch retries it", async () => {
    const userId = await newUser(true);
    const scheduled = new Date("1989-05-01T06:00:00Z");
    const { id } = await createLookout(db, { userId, nextRunAt: scheduled });
    const now = () => new Date("1989-05-01T06:00:30Z");
    const failing = {
      async sendBatch() {
        throw new Error("queue unavailable");
      },
    };
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await dispatchDueLookouts({ ctx: { db, queue: failing, log, now } }).finally(() =>
      quiet.mockRestore(),
    );
    expect(result.failed).toBeGreaterThanOrEqual(1);
    const [row] = await sql`select status, next_run_at from lookout where id = ${id}`;
    expect(row?.status).toBe("active");
    expect(new Date(row?.next_run_at).toISOString()).toBe(scheduled.toISOString());
    expect(await sql`select 1 from lookout_run_claim where lookout_id = ${id}`).toHaveLength(0);
    await sql`delete from lookout where user_id = ${userId}`;
  });
});

async function claim(lookoutId: string, options: { claimedAt?: Date; resumeStatus?: string; reservedAt?: Date } = {}) {
  const runId = crypto.randomUUID();
  const claimedAt = options.claimedAt ?? new Date();
  await sql`update lookout set status = 'running', last_run_at = ${claimedAt} where id = ${lookoutId}`;
  await sql`insert into lookout_run_claim (lookout_id, run_id, scheduled_for, claimed_at, resume_status, search_reserved_at)
    values (${lookoutId}, ${runId}, ${claimedAt}, ${claimedAt}, ${options.resumeStatus ?? "active"}, ${options.reservedAt ?? null})`;
  return { lookoutId, runId, scheduledFor: claimedAt.toISOString() } satisfies LookoutRunMessage;
}

describe("sweep", () => {
  it("releases a run stuck past the timeout once, even with sweeps running concurrently, and gives the search back", async () => {
    const userId = await newUser(true);
    const claimedAt = new Date("1992-01-10T08:00:00Z");
    const { id: daily } = await createLookout(db, { userId, nextRunAt: new Date("1992-01-11T07:00:00Z") });
    const { id: once } = await createLookout(db, { userId, frequency: "once", cronSchedule: "", nextRunAt: claimedAt });
    const { id: fresh } = await createLookout(db, { userId, nextRunAt: new Date("1992-01-11T07:00:00Z") });
    await claim(daily, { claimedAt, reservedAt: claimedAt });
    await claim(once, { claimedAt, resumeStatus: "paused" });
    await claim(fresh, { claimedAt: new Date("1992-01-10T08:10:00Z") });
    await createExtremeSearchUsage(db, { userId, count: 1, on: new Date("1992-01-01T00:00:00Z") });

    const now = new Date("1992-01-10T08:20:00Z");
    const mail = { mailer: createLogMailer(log), config: loadConfig(env), log };
    await Promise.all(
      handles.map((handle) => sweepStuckLookouts({ ctx: { db: handle.db, timeoutMinutes: 15, now, mail } })),
    );
    await sweepStuckLookouts({
      ctx: { db: (handles[0] as (typeof handles)[number]).db, timeoutMinutes: 15, now, mail },
    });

    const rows = await sql`select id, status, run_history from lookout where user_id = ${userId}`;
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    const dailyRuns = byId.get(daily)?.run_history as LookoutRun[];
    expect(byId.get(daily)?.status).toBe("active");
    expect(dailyRuns).toEqual([
      {
        runAt: claimedAt.toISOString(),
        chatId: null,
        status: "timeout",
        error: TIMEOUT_ERROR,
        duration: 20 * 60_000,
        tokensUsed: 0,
        searchesPerformed: 0,
      },
    ]);
    expect(byId.get(once)?.status).toBe("paused");
    expect(byId.get(once)?.run_history).toHaveLength(1);
    expect(byId.get(fresh)?.status).toBe("running");
    expect(
      await sql`select lookout_id from lookout_run_claim where lookout_id in (${daily}, ${once}, ${fresh})`,
    ).toEqual([{ lookout_id: fresh }]);
    const [usage] = await sql`select search_count from extreme_search_usage where user_id = ${userId}`;
    expect(usage?.search_count).toBe(0);
    await sql`delete from lookout where user_id = ${userId}`;
  });
});

async function deliver(queue: string, message: LookoutRunMessage, attempts = 1) {
  const id = `msg-${crypto.randomUUID()}`;
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body: message }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { id, result: await getQueueResult(batch, ctx) };
}

async function state(lookoutId: string, userId: string) {
  const [lookout] =
    await sql`select status, run_history, last_run_chat_id, last_run_at from lookout where id = ${lookoutId}`;
  const chats = await sql`select id, title, visibility from chat where user_id = ${userId}`;
  const claims = await sql`select run_id, search_reserved_at from lookout_run_claim where lookout_id = ${lookoutId}`;
  const [usage] =
    await sql`select coalesce(sum(search_count), 0)::int as n from extreme_search_usage where user_id = ${userId}`;
  return { lookout, runs: (lookout?.run_history ?? []) as LookoutRun[], chats, claims, searches: usage?.n as number };
}

describe("consumer", () => {
  it("backs off 30 s, 60 s, 120 s … up to 10 minutes", () => {
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 600]);
  });

  it("runs the research once, saves a private chat and the run record, and ignores a redelivery", async () => {
    const userId = await newUser(true);
    const { id: lookoutId } = await createLookout(db, {
      userId,
      title: "Lisbon flights",
      nextRunAt: new Date(Date.now() + 86_400_000),
    });
    const message = await claim(lookoutId);
    testModel.install(reportModel("Three direct flights under 100 EUR: …"));

    const first = await deliver(LOOKOUT_RUNS_QUEUE, message);
    expect(first.result.explicitAcks).toEqual([first.id]);
    expect(first.result.retryMessages).toEqual([]);
    const after = await state(lookoutId, userId);
    expect(after.chats).toEqual([
      { id: after.lookout?.last_run_chat_id, title: "Scheduled: Lisbon flights", visibility: "private" },
    ]);
    expect(after.lookout?.status).toBe("active");
    expect(after.claims).toEqual([]);
    expect(after.searches).toBe(1);
    expect(after.runs).toEqual([
      {
        runAt: message.scheduledFor,
        chatId: after.lookout?.last_run_chat_id,
        status: "success",
        duration: expect.any(Number),
        tokensUsed: 342,
        searchesPerformed: 0,
      },
    ]);
    const messages = await sql`select role, parts, model, total_tokens, completion_time from message
      where chat_id = ${after.lookout?.last_run_chat_id} order by created_at, id`;
    expect(messages.map((row) => row.role)).toEqual(["user", "assistant"]);
    expect(messages[0]?.parts).toEqual([{ type: "text", text: "Direct flights Berlin to Lisbon under 100 EUR?" }]);
    expect(messages[1]).toMatchObject({
      parts: [{ type: "text", text: "Three direct flights under 100 EUR: …" }],
      model: "offline",
      total_tokens: 342,
    });

    const again = await deliver(LOOKOUT_RUNS_QUEUE, message);
    expect(again.result.explicitAcks).toEqual([again.id]);
    const twice = await state(lookoutId, userId);
    expect(twice.chats).toHaveLength(1);
    expect(twice.runs).toHaveLength(1);
    expect(twice.searches).toBe(1);
  });

  it("retries a provider failure with backoff, counts the search once, and records an error from the dead-letter queue", async () => {
    const userId = await newUser(true);
    const { id: lookoutId } = await createLookout(db, { userId, nextRunAt: new Date(Date.now() + 86_400_000) });
    const message = await claim(lookoutId);
    testModel.install(brokenModel());
    const errors = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      for (const attempts of [1, 2]) {
        const delivery = await deliver(LOOKOUT_RUNS_QUEUE, message, attempts);
        expect(delivery.result.retryMessages.map((retry) => retry.msgId)).toEqual([delivery.id]);
        expect(delivery.result.explicitAcks).toEqual([]);
      }
    } finally {
      errors.mockRestore();
    }
    const during = await state(lookoutId, userId);
    expect(during.lookout?.status).toBe("running");
    expect(during.claims).toHaveLength(1);
    expect(during.searches).toBe(1);

    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const dead = await deliver(LOOKOUT_RUNS_DLQ, message, 4);
      expect(dead.result.explicitAcks).toEqual([dead.id]);
    } finally {
      quiet.mockRestore();
    }
    const ended = await state(lookoutId, userId);
    expect(ended.lookout?.status).toBe("active");
    expect(ended.claims).toEqual([]);
    expect(ended.chats).toEqual([]);
    expect(ended.searches).toBe(0);
    expect(ended.runs).toEqual([
      expect.objectContaining({ status: "error", error: DEAD_LETTER_ERROR, chatId: null, runAt: message.scheduledFor }),
    ]);
  });

  it("keeps only the newest 100 runs", async () => {
    const userId = await newUser(true);
    const old: LookoutRun[] = Array.from({ length: 100 }, (_, index) => ({
      runAt: new Date(Date.UTC(2020, 0, 1, 0, index)).toISOString(),
      chatId: null,
      status: "error",
      error: `old ${index}`,
      duration: 0,
      tokensUsed: 0,
      searchesPerformed: 0,
    }));
    const { id: lookoutId } = await createLookout(db, {
      userId,
      runHistory: old,
      nextRunAt: new Date(Date.now() + 86_400_000),
    });
    testModel.install(reportModel("Report"));
    await deliver(LOOKOUT_RUNS_QUEUE, await claim(lookoutId));
    const { runs } = await state(lookoutId, userId);
    expect(runs).toHaveLength(100);
    expect(runs[0]?.error).toBe("old 1");
    expect(runs.at(-1)?.status).toBe("success");
  });

  it("records an error and makes no chat for a user who is no longer Pro; a once lookout ends paused", async () => {
    const userId = await newUser(false);
    const { id: lookoutId } = await createLookout(db, {
      userId,
      frequency: "once",
      cronSchedule: "",
      nextRunAt: new Date(),
    });
    testModel.install(reportModel("Should not be written"));
    const delivery = await deliver(LOOKOUT_RUNS_QUEUE, await claim(lookoutId, { resumeStatus: "paused" }));
    expect(delivery.result.explicitAcks).toEqual([delivery.id]);
    const after = await state(lookoutId, userId);
    expect(after.chats).toEqual([]);
    expect(after.searches).toBe(0);
    expect(after.lookout?.status).toBe("paused");
    expect(after.runs).toEqual([expect.objectContaining({ status: "error", error: PLAN_ERROR, chatId: null })]);
  });

  it("gives the counted search back when the lookout is deleted while its run is in flight", async () => {
    const userId = await newUser(true);
    const { id: lookoutId } = await createLookout(db, { userId, nextRunAt: new Date(Date.now() + 86_400_000) });
    const message = await claim(lookoutId);
    const gate = gatedModel("A report nobody will read");
    testModel.install(gate.model);
    const delivery = deliver(LOOKOUT_RUNS_QUEUE, message);
    await gate.called;
    const during = await state(lookoutId, userId);
    expect(during.searches).toBe(1);
    expect(during.claims).toEqual([{ run_id: message.runId, search_reserved_at: expect.any(Date) }]);

    await expect(
      deleteLookout({ ctx: { db, userId: "someone-else" }, input: { id: lookoutId } }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await state(lookoutId, userId)).searches).toBe(1);
    await deleteLookout({ ctx: { db, userId }, input: { id: lookoutId } });
    expect((await state(lookoutId, userId)).searches).toBe(0);

    gate.release();
    const { id, result } = await delivery;
    expect(result.explicitAcks).toEqual([id]);
    const after = await state(lookoutId, userId);
    expect(after.lookout).toBeUndefined();
    expect(after.claims).toEqual([]);
    expect(after.chats).toEqual([]);
    expect(after.searches).toBe(0);
  });

  it("keeps the search of a run that finished before its lookout was deleted", async () => {
    const userId = await newUser(true);
    const { id: lookoutId } = await createLookout(db, { userId, nextRunAt: new Date(Date.now() + 86_400_000) });
    const message = await claim(lookoutId);
    testModel.install(reportModel("Done before the delete"));
    await deliver(LOOKOUT_RUNS_QUEUE, message);
    await deleteLookout({ ctx: { db, userId }, input: { id: lookoutId } });
    const after = await state(lookoutId, userId);
    expect(after.lookout).toBeUndefined();
    expect(after.chats).toHaveLength(1);
    expect(after.searches).toBe(1);
  });

  it("acknowledges a run for an unknown lookout or a stale run id without running anything", async () => {
    const userId = await newUser(true);
    const { id: lookoutId } = await createLookout(db, { userId, nextRunAt: new Date(Date.now() + 86_400_000) });
    await claim(lookoutId);
    testModel.install(reportModel("Nope"));
    const stale = await deliver(LOOKOUT_RUNS_QUEUE, {
      lookoutId,
      runId: "an-older-run",
      scheduledFor: new Date().toISOString(),
    });
    const unknown = await deliver(LOOKOUT_RUNS_QUEUE, {
      lookoutId: "missing",
      runId: "r",
      scheduledFor: new Date().toISOString(),
    });
    expect(stale.result.explicitAcks).toEqual([stale.id]);
    expect(unknown.result.explicitAcks).toEqual([unknown.id]);
    const after = await state(lookoutId, userId);
    expect(after.chats).toEqual([]);
    expect(after.lookout?.status).toBe("running");
  });
});
