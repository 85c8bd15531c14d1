import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { MockLanguageModelV4 } from "ai/test";
import type postgres from "postgres";
import type { LookoutRun } from "../../src/db/schema";
import type { LookoutRunMessage } from "../../src/queues/lookout-runs.messages";
import worker from "../support/worker";

/** Makes the user Pro the way production does: an active Polar subscription to a configured product. */
export async function makePro(sql: postgres.Sql, userId: string): Promise<void> {
  const productId = String(env.POLAR_PRO_PRODUCT_IDS).split(",")[0] ?? "";
  await sql`insert into subscription (id, user_id, created_at, amount, currency, recurring_interval, status, current_period_start, current_period_end, customer_id, product_id)
    values (${`sub-${crypto.randomUUID()}`}, ${userId}, now(), 900, 'usd', 'month', 'active', now() - interval '1 day', now() + interval '29 days', 'cus', ${productId})`;
}

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** The research agent calls generateText, so the mock answers doGenerate with a finished report. */
export function reportModel(text: string, tokens = { input: 300, output: 42 }) {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: "text", text }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: usage(tokens.input, tokens.output),
      warnings: [],
    }),
  });
}

/** A report model that holds its answer until `release()`; `called` settles once it is asked. */
export function gatedModel(text: string) {
  let release = () => {};
  let markCalled = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const called = new Promise<void>((resolve) => {
    markCalled = resolve;
  });
  const inner = reportModel(text);
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      markCalled();
      await opened;
      return inner.doGenerate(options);
    },
  });
  return { model, called, release: () => release() };
}

/** A provider that fails every call. */
export function brokenModel() {
  return new MockLanguageModelV4({
    doGenerate: async () => {
      throw new Error("provider exploded: upstream 503");
    },
  });
}

/** Inserts a lookout row directly (for dispatcher, sweep and consumer tests). */
export async function insertLookout(
  sql: postgres.Sql,
  values: {
    userId: string;
    frequency?: string;
    cronSchedule?: string;
    timezone?: string;
    nextRunAt?: Date | null;
    status?: string;
    title?: string;
    runHistory?: unknown[];
  },
): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into lookout (id, user_id, title, prompt, frequency, cron_schedule, timezone, next_run_at, status, run_history)
    values (${id}, ${values.userId}, ${values.title ?? "Lisbon flights"}, 'Direct flights Berlin to Lisbon under 100 EUR?',
            ${values.frequency ?? "daily"}, ${values.cronSchedule ?? "0 8 * * *"}, ${values.timezone ?? "Europe/Berlin"},
            ${values.nextRunAt ?? null}, ${values.status ?? "active"}, ${sql.json((values.runHistory ?? []) as postgres.JSONValue)})`;
  return id;
}

/** Inserts a verified user (Pro when asked) straight into the database; returns its id and email. */
export async function insertUser(sql: postgres.Sql, pro: boolean): Promise<{ id: string; email: string }> {
  const id = `user-${crypto.randomUUID()}`;
  const email = `${id}@example.test`;
  await sql`insert into "user" (id, name, email, email_verified) values (${id}, 'Lou', ${email}, true)`;
  if (pro) await makePro(sql, id);
  return { id, email };
}

/** Claims a run of the lookout the way the dispatcher does; returns the queue message for it. */
export async function claimRun(
  sql: postgres.Sql,
  lookoutId: string,
  options: { claimedAt?: Date; resumeStatus?: string; reservedAt?: Date } = {},
): Promise<LookoutRunMessage> {
  const runId = crypto.randomUUID();
  const claimedAt = options.claimedAt ?? new Date();
  await sql`update lookout set status = 'running', last_run_at = ${claimedAt} where id = ${lookoutId}`;
  await sql`insert into lookout_run_claim (lookout_id, run_id, scheduled_for, claimed_at, resume_status, search_reserved_at)
    values (${lookoutId}, ${runId}, ${claimedAt}, ${claimedAt}, ${options.resumeStatus ?? "active"}, ${options.reservedAt ?? null})`;
  return { lookoutId, runId, scheduledFor: claimedAt.toISOString() };
}

/** Delivers one message to the Worker's queue handler and returns what the consumer did with it. */
export async function deliverRun(queue: string, message: LookoutRunMessage, attempts = 1) {
  const id = `msg-${crypto.randomUUID()}`;
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body: message }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { id, result: await getQueueResult(batch, ctx) };
}

/** The lookout's run history as stored. */
export async function runHistoryOf(sql: postgres.Sql, lookoutId: string): Promise<LookoutRun[]> {
  const [row] = await sql`select run_history from lookout where id = ${lookoutId}`;
  return (row?.run_history ?? []) as LookoutRun[];
}
