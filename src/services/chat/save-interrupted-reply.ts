import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import type { Db } from "../../db/client";
import { findChatOwner, insertAssistantMessage } from "../../db/queries/chat-turns";
import { hasContent, refund } from "./generate-reply";
import type { GenerationJob, ReplyOutcome } from "./generation-job";

/** The UI-message chunks inside stored server-sent-event text. */
function parseChunks(events: string[]): UIMessageChunk[] {
  const chunks: UIMessageChunk[] = [];
  for (const event of events) {
    for (const line of event.split("\n")) {
      if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
      try {
        chunks.push(JSON.parse(line.slice(6)) as UIMessageChunk);
      } catch {
        // a torn last event: everything before it still counts
      }
    }
  }
  return chunks;
}

export interface InterruptedReplyOutcome extends ReplyOutcome {
  /** The chat (or its whole account) was deleted meanwhile: there is nothing left to save it to. */
  chatMissing?: true;
}

/**
 * Saves a reply whose generation stopped with the object that ran it (a restart mid-reply): what
 * was stored is rebuilt into the assistant message and saved once, as a stopped reply would be; with
 * nothing to save, the allowance is given back. A chat deleted since is reported, not retried: saving
 * to it can never succeed.
 */
export async function saveInterruptedReply({
  ctx,
  job,
  chunks,
}: {
  ctx: { db: Db };
  job: GenerationJob & { startedAt?: number };
  chunks: string[];
}): Promise<InterruptedReplyOutcome> {
  const parsed = parseChunks(chunks);
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of parsed) controller.enqueue(chunk);
      controller.close();
    },
  });
  let message: UIMessage | undefined;
  try {
    for await (const snapshot of readUIMessageStream({ stream })) message = snapshot;
  } catch {
    // keep the last complete snapshot
  }
  const parts = message?.parts ?? [];
  if (!hasContent(parts)) {
    await refund(ctx, job);
    return { status: "failed", saved: false, refunded: true };
  }
  const missing: InterruptedReplyOutcome = { status: "stopped", saved: false, refunded: false, chatMissing: true };
  if ((await findChatOwner(ctx.db, job.chatId)) === undefined) return missing;
  try {
    await insertAssistantMessage(ctx.db, {
      id: job.assistantMessageId,
      chatId: job.chatId,
      parts,
      model: job.modelId,
      inputTokens: null,
      outputTokens: null,
      totalTokens: null,
      completionTime: job.startedAt ? (Date.now() - job.startedAt) / 1000 : 0,
    });
  } catch (error) {
    // Deleted between the check and the insert (the insert then fails on the chat's foreign key).
    if ((await findChatOwner(ctx.db, job.chatId)) === undefined) return missing;
    throw error;
  }
  return { status: "stopped", saved: true, refunded: false };
}
