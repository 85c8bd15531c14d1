import { selectModel } from "../../ai/models";
import type { ChatMode } from "../../ai/modes";
import { titleFromMessage } from "../../ai/title";
import { type Queryable, withTransaction } from "../../db/client";
import { createChatIfMissing, findChatOwner, insertStream, insertUserMessage } from "../../db/queries/chat-turns";
import type { MessageAttachment } from "../../db/schema";
import type { Config } from "../../env";
import { AppError, notFound } from "../../lib/errors";
import { getPlan } from "../billing/get-plan";
import { reserveExtremeSearch } from "../usage/reserve-extreme-search";
import { reserveMessage } from "../usage/reserve-message";
import type { GenerationJob } from "./generation-job";

/** The chat's Durable Object, as this service needs it. */
export interface ChatStreamClient {
  claim(streamId: string): Promise<boolean>;
  release(streamId: string): Promise<void>;
  start(job: GenerationJob): Promise<void>;
}

export interface SendMessageInput {
  userId: string;
  chatId: string;
  text: string;
  attachments: MessageAttachment[];
  modelId?: string;
  mode: ChatMode;
}

/**
 * Accepts one user message: checks the chat's owner (creating the chat on its first message), the
 * model against the plan and the allowance, saves the message and a stream row, and starts the reply
 * in the chat's Durable Object. Nothing is written when any check fails.
 */
export async function sendMessage({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; stream: ChatStreamClient; now?: Date };
  input: SendMessageInput;
}): Promise<GenerationJob> {
  const now = ctx.now ?? new Date();
  const plan = await getPlan({ ctx: { db: ctx.db, config: ctx.config, now }, input: { userId: input.userId } });
  const model = selectModel({ config: ctx.config, modelId: input.modelId, plan: plan.tier, mode: input.mode });

  const owner = await findChatOwner(ctx.db, input.chatId);
  if (owner !== undefined && owner !== input.userId) throw notFound("Chat");

  const streamId = crypto.randomUUID();
  if (!(await ctx.stream.claim(streamId))) {
    throw new AppError("CONFLICT", "A reply is already being generated in this chat; wait for it or stop it");
  }
  const job: GenerationJob = {
    streamId,
    chatId: input.chatId,
    userId: input.userId,
    assistantMessageId: crypto.randomUUID(),
    modelId: model.id,
    mode: input.mode,
    reservedAt: now.toISOString(),
    extremeSearchReserved: input.mode === "extreme",
  };

  try {
    await withTransaction(ctx.db, async (tx) => {
      const { ownerId } = await createChatIfMissing(tx, {
        id: input.chatId,
        userId: input.userId,
        title: titleFromMessage(input.text),
      });
      if (ownerId !== input.userId) throw notFound("Chat");
      const usage = { ctx: { db: tx, config: ctx.config, now }, input: { userId: input.userId, plan } };
      await reserveMessage(usage);
      if (input.mode === "extreme") await reserveExtremeSearch(usage);
      const parts: unknown[] = [{ type: "text", text: input.text }];
      for (const attachment of input.attachments) {
        parts.push({ type: "file", url: attachment.url, mediaType: attachment.mediaType, filename: attachment.name });
      }
      await insertUserMessage(tx, {
        id: crypto.randomUUID(),
        chatId: input.chatId,
        parts,
        attachments: input.attachments,
      });
      await insertStream(tx, { id: streamId, chatId: input.chatId });
    });
  } catch (error) {
    await ctx.stream.release(streamId);
    throw error;
  }
  await ctx.stream.start(job);
  return job;
}
