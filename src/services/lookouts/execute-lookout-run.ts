import type { ModelRegistry } from "../../ai/model-registry";
import { defaultModel } from "../../ai/models";
import { runResearch } from "../../ai/research";
import { buildTools } from "../../ai/tools";
import { type Queryable, withTransaction } from "../../db/client";
import { findCustomInstructions } from "../../db/queries/account";
import { insertReportChat } from "../../db/queries/lookout-reports";
import { finishRun, markSearchReserved, startRun } from "../../db/queries/lookout-runs";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/log";
import type { LookoutRunMessage } from "../../queues/lookout-runs.messages";
import { getPlan } from "../billing/get-plan";
import type { Mailer } from "../mail/mailer";
import { reserveExtremeSearch } from "../usage/reserve-extreme-search";
import { endLookoutRunWithError } from "./end-lookout-run";
import { mailRunsEnded } from "./mail-run-ended";
import { previousReportFor } from "./previous-report";

export const PLAN_ERROR = "Lookouts need a Pro plan";
export const ALLOWANCE_ERROR = "The monthly extreme search allowance is used up";
export const CHAT_TITLE_PREFIX = "Scheduled: ";
const CHAT_TITLE_MAX = 200;

export type RunOutcome = "success" | "error" | "skipped";

class StaleRun extends Error {}

/**
 * Runs one claimed lookout: checks the claim is still this run's, the owner is still Pro and has an
 * extreme search left, runs the research agent in extreme mode (a recurring lookout's run given its
 * previous report, to open with what changed since), and saves the report as a new private
 * chat together with the run record, in one transaction. "skipped" = nothing to do (unknown lookout,
 * stale run id, a duplicate delivery in flight). Anything thrown is worth retrying (provider or database
 * trouble); the claim keeps the counted search, so a retry does not count it twice. Once a run is
 * recorded its owner is mailed; the mail cannot change the outcome (see mailRunsEnded).
 */
export async function executeLookoutRun({
  ctx,
  input,
}: {
  ctx: {
    db: Queryable;
    config: Config;
    mailer: Mailer;
    log: Logger;
    models: ModelRegistry;
    now?: () => Date;
  };
  input: { message: LookoutRunMessage; attempt: number };
}): Promise<RunOutcome> {
  const clock = ctx.now ?? (() => new Date());
  const { lookoutId, runId } = input.message;
  const startedAt = clock();
  const run = await startRun(ctx.db, { lookoutId, runId, attempt: input.attempt, now: startedAt });
  if (!run) return "skipped";
  const { userId } = run.lookout;
  const mail = { db: ctx.db, mailer: ctx.mailer, config: ctx.config, log: ctx.log };
  const endWithError = async (error: string) => {
    const ended = await endLookoutRunWithError({
      ctx: { db: ctx.db, now: clock() },
      input: { lookoutId, runId, error, startedAt },
    });
    if (ended) await mailRunsEnded(mail, [{ lookoutId, status: "error", error }]);
  };

  const plan = await getPlan({ ctx: { db: ctx.db, config: ctx.config, now: startedAt }, input: { userId } });
  if (plan.tier !== "pro") {
    await endWithError(PLAN_ERROR);
    return "error";
  }

  if (!run.searchReservedAt) {
    try {
      await withTransaction(ctx.db, async (tx) => {
        await reserveExtremeSearch({ ctx: { db: tx, config: ctx.config, now: startedAt }, input: { userId, plan } });
        if (!(await markSearchReserved(tx, { lookoutId, runId, at: startedAt }))) throw new StaleRun();
      });
    } catch (error) {
      if (error instanceof StaleRun) return "skipped";
      if (error instanceof AppError && error.code === "USAGE_LIMIT_EXCEEDED") {
        await endWithError(ALLOWANCE_ERROR);
        return "error";
      }
      throw error;
    }
  }

  const entry = defaultModel(ctx.config);
  const model = ctx.models.resolve(entry.id, "report");
  const [instructions, previousReport] = await Promise.all([
    findCustomInstructions(ctx.db, userId),
    previousReportFor(ctx.db, run.lookout),
  ]);
  // Leaves a minute of the run timeout for saving, so a slow run fails here rather than being swept.
  const budgetMs = Math.max(1, ctx.config.LOOKOUT_RUN_TIMEOUT_MINUTES - 1) * 60_000;
  const outcome = await runResearch({
    model,
    tools: buildTools({ config: ctx.config, mode: "extreme" }),
    prompt: run.lookout.prompt,
    previousReport,
    maxOutputTokens: ctx.config.MAX_OUTPUT_TOKENS,
    customInstructions: instructions?.content ?? null,
    now: startedAt,
    abortSignal: AbortSignal.timeout(budgetMs),
  });
  if (!outcome.text.trim()) throw new Error("The research produced no report");
  const finishedAt = clock();
  const duration = Math.max(0, finishedAt.getTime() - startedAt.getTime());
  const chatId = crypto.randomUUID();

  const saved = await withTransaction(ctx.db, async (tx) => {
    const ended = await finishRun(tx, {
      lookoutId,
      runId,
      chatId,
      entry: {
        chatId,
        status: "success",
        duration,
        tokensUsed: outcome.usage.totalTokens,
        searchesPerformed: outcome.searchesPerformed,
      },
    });
    if (!ended) return false;
    await insertReportChat(tx, {
      chatId,
      userId,
      title: `${CHAT_TITLE_PREFIX}${run.lookout.title}`.slice(0, CHAT_TITLE_MAX),
      prompt: run.lookout.prompt,
      startedAt,
      finishedAt,
      report: {
        parts: [{ type: "text", text: outcome.text }],
        model: entry.id,
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        totalTokens: outcome.usage.totalTokens,
        completionTime: duration / 1000,
      },
    });
    return true;
  });
  if (!saved) return "skipped";
  await mailRunsEnded(mail, [{ lookoutId, status: "success", chatId, report: outcome.text }]);
  return "success";
}
