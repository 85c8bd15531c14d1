import {
  readUIMessageStream,
  type StreamTextResult,
  streamText,
  type ToolSet,
  toUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from "ai";
import { toModelMessages } from "../../ai/attachments";
import { buildGenerationOptions } from "../../ai/generation";
import { estimateTokens, fitHistory } from "../../ai/history-budget";
import type { ModelRegistry } from "../../ai/model-registry";
import { buildSystemPrompt } from "../../ai/prompts";
import { buildTools } from "../../ai/tools";
import type { Queryable } from "../../db/client";
import type { Config } from "../../env";
import type { Logger } from "../../lib/log";
import { createHttpClient } from "../../outbound/safe-fetch";
import { appHostsOf } from "../../outbound/url-policy";
import type { GenerationJob, ReplyInput, ReplyOutcome } from "./generation-job";
import { refund, settleReply } from "./settle-reply";

/** One UI-message-stream chunk as a server-sent event, as the AI SDK's transports write and read it. */
function sseEvent(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
const SSE_DONE = "data: [DONE]\n\n";

export const REPLY_ERROR_TEXT = "The concierge could not finish this reply. Please try again.";

export interface ReplyContext {
  db: Queryable;
  config: Config;
  log: Logger;
  models: ModelRegistry;
}

/**
 * Runs the model for one turn and hands every UI-message-stream chunk (as server-sent-event text) to
 * `emit`: prepare (model, tools, prompt and messages from the history the turn was saved with), pump
 * (the model's stream to the readers and into the message being assembled), settle (saved once, however
 * it ended; a failure before any output gives the allowance back instead).
 */
export async function generateReply({
  ctx,
  job,
  input,
  signal,
  emit,
}: {
  ctx: ReplyContext;
  job: GenerationJob;
  input: ReplyInput;
  signal: AbortSignal;
  /** May return a promise to make generation yield (so readers' bytes get flushed). */
  emit: (chunk: string) => void | Promise<void>;
}): Promise<ReplyOutcome> {
  const started = Date.now();
  // The reply's first chunk goes out before anything else is done, so a reader sees it begin at once.
  const start: UIMessageChunk = { type: "start", messageId: job.assistantMessageId };
  await emit(sseEvent(start));
  // The id the user's message was saved with, which differs from the client's when that one was taken.
  // Transient: the AI SDK hands it to `onData` and keeps it out of the reply's parts.
  if (job.userMessageId !== undefined) {
    emit(sseEvent({ type: "data-user-message", data: { id: job.userMessageId }, transient: true }));
  }

  try {
    const { result, tools, failed } = await prepare(ctx, job, input, signal);
    const pumped = await pump({ result, tools, failed, job, start, emit });
    const usage = await Promise.resolve(result.totalUsage).catch(() => undefined);
    const status: ReplyOutcome["status"] =
      pumped.aborted || signal.aborted ? "stopped" : pumped.failure ? "failed" : "finished";
    if (pumped.failure) {
      ctx.log.error("reply.failed", { chatId: job.chatId, streamId: job.streamId, error: pumped.failure });
    }
    const settled = await settleReply({
      ctx,
      job,
      reply: {
        parts: pumped.parts,
        status,
        usage,
        completionTime: (Date.now() - started) / 1000,
        refundWhenEmpty: false,
      },
    });
    if (settled.chatMissing) ctx.log.warn("reply.chat-deleted", { chatId: job.chatId, streamId: job.streamId });
    return { status: settled.status, saved: settled.saved, refunded: settled.refunded };
  } catch (error) {
    // Failed before the stream could run (model resolution, attachments) or while saving: tell the
    // reader, give the count back.
    ctx.log.error("reply.crashed", { chatId: job.chatId, streamId: job.streamId, error });
    emit(sseEvent({ type: "error", errorText: REPLY_ERROR_TEXT }));
    emit(SSE_DONE);
    await refund(ctx, job).catch((refundError: unknown) =>
      ctx.log.error("reply.refund-failed", { error: refundError }),
    );
    return { status: "failed", saved: false, refunded: true };
  }
}

/** The model's call for this turn: model, tools, system prompt and the history that fits its budget. */
async function prepare(ctx: ReplyContext, job: GenerationJob, input: ReplyInput, signal: AbortSignal) {
  const { config } = ctx;
  // The model's own error, seen before (and more precisely than) the one the UI-message stream carries.
  const failed: { error?: unknown } = {};
  const http = createHttpClient({ ownHosts: appHostsOf(config) });
  const tools = buildTools({ config, mode: job.mode, fetch: http });
  const model = ctx.models.resolve(job.modelId);
  const system = buildSystemPrompt({
    mode: job.mode,
    customInstructions: input.customInstructions,
    now: new Date(),
    toolsOn: Object.keys(tools),
  });
  const uiMessages = input.history.map((row) => ({ id: row.id, role: row.role, parts: row.parts })) as UIMessage[];
  const conversation = fitHistory(
    uiMessages.filter((entry) => entry.role === "user" || entry.role === "assistant"),
    { budget: config.HISTORY_TOKEN_BUDGET, reservedTokens: estimateTokens(system) },
  );
  const messages = await toModelMessages(conversation, {
    tools,
    http,
    maxTotalBytes: config.MAX_ATTACHMENT_BYTES_PER_REPLY,
    signal,
  });
  const result = streamText({
    ...buildGenerationOptions({
      mode: job.mode,
      model,
      tools,
      system,
      messages,
      http,
      maxOutputTokens: config.MAX_OUTPUT_TOKENS,
    }),
    abortSignal: signal,
    onError: ({ error }) => {
      failed.error = error;
    },
  });
  return { result, tools, failed };
}

/**
 * Drives the model and hands each chunk both to `emit` and to the message being assembled, so whatever
 * reached the readers is what gets saved, even when the stream breaks before its end. One loop does both:
 * a second consumer (a tee) would pull the whole reply through microtasks before `emit` could yield once,
 * and readers would see nothing until the model was done.
 */
async function pump({
  result,
  tools,
  failed,
  job,
  start,
  emit,
}: {
  result: Pick<StreamTextResult<ToolSet, never, never>, "stream">;
  tools: ToolSet;
  failed: { error?: unknown };
  job: GenerationJob;
  start: UIMessageChunk;
  emit: (chunk: string) => void | Promise<void>;
}): Promise<{ parts: UIMessage["parts"]; failure: unknown; aborted: boolean }> {
  let failure: unknown;
  let aborted = false;
  let responseMessage: UIMessage | undefined;
  const chunks = toUIMessageStream({
    stream: result.stream,
    tools,
    sendReasoning: true,
    sendStart: false,
    generateMessageId: () => job.assistantMessageId,
    onError: (error) => {
      failure ??= error;
      return REPLY_ERROR_TEXT;
    },
    onFinish: ({ isAborted }) => {
      aborted = isAborted;
    },
  });

  let saving!: ReadableStreamDefaultController<UIMessageChunk>;
  const forSaving = new ReadableStream<UIMessageChunk>({
    start: (controller) => {
      saving = controller;
      controller.enqueue(start);
    },
  });
  const collecting = (async () => {
    try {
      for await (const message of readUIMessageStream({ stream: forSaving })) responseMessage = message;
    } catch (error) {
      failure ??= error;
    }
  })();

  const reader = chunks.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      saving.enqueue(value);
      await emit(sseEvent(value));
    }
    emit(SSE_DONE);
  } catch (error) {
    failure ??= error;
    emit(sseEvent({ type: "error", errorText: REPLY_ERROR_TEXT }));
    emit(SSE_DONE);
  } finally {
    saving.close();
  }
  await collecting;
  return { parts: (responseMessage as UIMessage | undefined)?.parts ?? [], failure: failed.error ?? failure, aborted };
}
