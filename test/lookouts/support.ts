import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { MockLanguageModelV4 } from "ai/test";
import type postgres from "postgres";
import type { LookoutRun } from "../../src/db/schema";
import type { LookoutRunMessage } from "../../src/queues/lookout-runs.messages";
import worker from "../support/worker";

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
