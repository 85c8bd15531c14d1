import type { UIMessage } from "ai";
import type { Queryable } from "../../db/client";
import { findChatOwner, insertAssistantMessage } from "../../db/queries/chat-turns";
import { refundExtremeSearch } from "../usage/refund-extreme-search";
import { refundMessage } from "../usage/refund-message";
import type { GenerationJob, ReplyOutcome } from "./generation-job";

/** Parts that carry content; a reply made only of bookkeeping parts counts as no output. */
export function hasContent(parts: UIMessage["parts"]): boolean {
  return parts.some((part) => {
    if (part.type === "text" || part.type === "reasoning") return part.text.trim().length > 0;
    return part.type !== "step-start";
  });
}

export interface SettledReply extends ReplyOutcome {
  /** The chat (or its whole account) was deleted meanwhile: there is nothing left to save the reply to. */
  chatMissing?: true;
}

export interface EndedReply {
  parts: UIMessage["parts"];
  status: ReplyOutcome["status"];
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
  /** Seconds from the start of generation to its end. */
  completionTime: number;
  /**
   * A stop before any output normally keeps the allowance spent (the traveller asked for it); a reply
   * cut off by a restart gives it back.
   */
  refundWhenEmpty: boolean;
}

/**
 * The end of every reply, live or recovered: its parts are saved once as the assistant message, or, with
 * nothing to save, the allowance is given back. A chat deleted meanwhile is reported, never retried:
 * saving to it can never succeed.
 */
export async function settleReply({
  ctx,
  job,
  reply,
}: {
  ctx: { db: Queryable };
  job: GenerationJob;
  reply: EndedReply;
}): Promise<SettledReply> {
  if (!hasContent(reply.parts)) {
    if (reply.status === "stopped" && !reply.refundWhenEmpty)
      return { status: "stopped", saved: false, refunded: false };
    await refund(ctx, job);
    return { status: "failed", saved: false, refunded: true };
  }
  try {
    await insertAssistantMessage(ctx.db, {
      id: job.assistantMessageId,
      chatId: job.chatId,
      parts: reply.parts,
      model: job.modelId,
      inputTokens: reply.usage?.inputTokens ?? null,
      outputTokens: reply.usage?.outputTokens ?? null,
      totalTokens: reply.usage?.totalTokens ?? null,
      completionTime: reply.completionTime,
    });
  } catch (error) {
    // The insert fails on the chat's foreign key when the chat was deleted while the reply ran.
    if ((await findChatOwner(ctx.db, job.chatId)) === undefined) {
      return { status: reply.status, saved: false, refunded: false, chatMissing: true };
    }
    throw error;
  }
  return { status: reply.status, saved: true, refunded: false };
}

/** Gives back what the reply was counted against: the message, and the research run in extreme mode. */
export async function refund(ctx: { db: Queryable }, job: GenerationJob): Promise<void> {
  const reservedAt = new Date(job.reservedAt);
  await refundMessage({ ctx: { db: ctx.db }, input: { userId: job.userId, reservedAt } });
  if (job.extremeSearchReserved) {
    await refundExtremeSearch({ ctx: { db: ctx.db }, input: { userId: job.userId, reservedAt } });
  }
}
