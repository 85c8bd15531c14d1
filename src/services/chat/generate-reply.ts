import { readUIMessageStream, streamText, toUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { toModelMessages } from "../../ai/attachments";
import { buildGenerationOptions } from "../../ai/generation";
import { estimateTokens, fitHistory } from "../../ai/history-budget";
import { createHttpClient } from "../../ai/http/safe-fetch";
import { appHostsOf } from "../../ai/http/url-policy";
import type { ModelRegistry } from "../../ai/model-registry";
import { buildSystemPrompt } from "../../ai/prompts";
import { buildTools } from "../../ai/tools";
import type { Db } from "../../db/client";
import { findCustomInstructions } from "../../db/queries/account";
import { insertAssistantMessage, listHistory } from "../../db/queries/chat-turns";
import type { Config } from "../../env";
import type { Logger } from "../../lib/log";
import { refundExtremeSearch } from "../usage/refund-extreme-search";
import { refundMessage } from "../usage/refund-message";
import type { GenerationJob, ReplyOutcome } from "./generation-job";

/** One UI-message-stream chunk as a server-sent event, as the AI SDK's transports write and read it. */
function sseEvent(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
const SSE_DONE = "data: [DONE]\n\n";

export const REPLY_ERROR_TEXT = "The concierge could not finish this reply. Please try again.";

/** Parts that carry content; a reply made only of bookkeeping parts counts as no output. */
export function hasContent(parts: UIMessage["parts"]): boolean {
  return parts.some((part) => {
    if (part.type === "text" || part.type === "reasoning") return part.text.trim().length > 0;
    return part.type !== "step-start";
  });
}

/**
 * Runs the model for one turn and hands every UI-message-stream chunk (as server-sent-event text) to
 * `emit`. When it ends, finished, stopped or failed, the assistant message is saved once; a failure
 * before any output gives the allowance back instead.
 */
export async function generateReply({
  ctx,
  job,
  signal,
  emit,
}: {
  ctx: { db: Db; config: Config; log: Logger; models: ModelRegistry };
  job: GenerationJob;
  signal: AbortSignal;
  /** May return a promise to make generation yield (so readers' bytes get flushed). */
  emit: (chunk: string) => void | Promise<void>;
}): Promise<ReplyOutcome> {
  const started = Date.now();
  const { db, config, log } = ctx;
  let failure: unknown;
  let responseMessage: UIMessage | undefined;
  let aborted = false;
  // The reply's first chunk goes out before the history is even read, so a reader sees it begin at once.
  const start: UIMessageChunk = { type: "start", messageId: job.assistantMessageId };
  await emit(sseEvent(start));
  // The id the user's message was saved with, which differs from the client's when that one was taken.
  // Transient: the AI SDK hands it to `onData` and keeps it out of the reply's parts.
  if (job.userMessageId !== undefined) {
    emit(sseEvent({ type: "data-user-message", data: { id: job.userMessageId }, transient: true }));
  }

  try {
    const [history, instructions] = await Promise.all([
      listHistory(db, job.chatId),
      findCustomInstructions(db, job.userId),
    ]);
    const http = createHttpClient({ ownHosts: appHostsOf(config) });
    const tools = buildTools({ config, mode: job.mode, fetch: http });
    const model = ctx.models.resolve(job.modelId);
    const system = buildSystemPrompt({
      mode: job.mode,
      customInstructions: instructions?.content ?? null,
      now: new Date(),
      toolsOn: Object.keys(tools),
    });
    const uiMessages = history.map((row) => ({ id: row.id, role: row.role, parts: row.parts })) as UIMessage[];
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
        failure = error;
      },
    });
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

    // The message is assembled from the same chunks the readers get, so whatever reached them is what
    // gets saved, even when the stream breaks before its end. One loop drives the model and hands each
    // chunk to both: a second consumer (a tee) would pull the whole reply through microtasks before
    // `emit` could yield once, and readers would see nothing until the model was done.
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

    const usage = await Promise.resolve(result.totalUsage).catch(() => undefined);
    const parts = (responseMessage as UIMessage | undefined)?.parts ?? [];
    const status: ReplyOutcome["status"] = aborted || signal.aborted ? "stopped" : failure ? "failed" : "finished";
    if (failure) log.error("reply.failed", { chatId: job.chatId, streamId: job.streamId, error: failure });

    if (!hasContent(parts)) {
      if (status === "stopped") return { status, saved: false, refunded: false };
      await refund(ctx, job);
      return { status: "failed", saved: false, refunded: true };
    }
    await insertAssistantMessage(db, {
      id: job.assistantMessageId,
      chatId: job.chatId,
      parts,
      model: job.modelId,
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      totalTokens: usage?.totalTokens ?? null,
      completionTime: (Date.now() - started) / 1000,
    });
    return { status, saved: true, refunded: false };
  } catch (error) {
    // Failed before the stream could run (history, model resolution): tell the reader, give the count back.
    log.error("reply.crashed", { chatId: job.chatId, streamId: job.streamId, error });
    emit(sseEvent({ type: "error", errorText: REPLY_ERROR_TEXT }));
    emit(SSE_DONE);
    await refund(ctx, job).catch((refundError: unknown) => log.error("reply.refund-failed", { error: refundError }));
    return { status: "failed", saved: false, refunded: true };
  }
}

export async function refund(ctx: { db: Db }, job: GenerationJob): Promise<void> {
  const reservedAt = new Date(job.reservedAt);
  await refundMessage({ ctx: { db: ctx.db }, input: { userId: job.userId, reservedAt } });
  if (job.extremeSearchReserved) {
    await refundExtremeSearch({ ctx: { db: ctx.db }, input: { userId: job.userId, reservedAt } });
  }
}
