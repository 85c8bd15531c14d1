import { selectModel } from "../../ai/models";
import type { ChatMode } from "../../ai/modes";
import { titleFromMessage } from "../../ai/title";
import { type Queryable, withTransaction } from "../../db/client";
import { findCustomInstructions } from "../../db/queries/account";
import {
  deleteFromUserMessage,
  listHistory,
  prepareRegeneration,
  readTurnContext,
  saveUserTurn,
} from "../../db/queries/chat-turns";
import type { MessageAttachment } from "../../db/schema";
import type { Config } from "../../env";
import { AppError, notFound } from "../../lib/errors";
import { decidePlan } from "../billing/decide-plan";
import { proPaymentsSince } from "../billing/get-plan";
import { reserveExtremeSearch } from "../usage/reserve-extreme-search";
import { reserveMessage } from "../usage/reserve-message";
import { assertReplyCapacity, type ChatBusyProbe } from "./check-reply-capacity";
import type { GenerationJob, ReplyInput } from "./generation-job";

/** The chat's Durable Object, as this service needs it. */
export interface ChatStreamClient {
  claim(streamId: string): Promise<boolean>;
  release(streamId: string): Promise<void>;
  /** Starts the reply; resolves with a reader of it from its first chunk. */
  start(job: GenerationJob, input: ReplyInput): Promise<ReadableStream<Uint8Array>>;
}

export interface SendMessageInput {
  userId: string;
  chatId: string;
  /** The client's id for the message; kept when it is a plain id no message has yet. */
  clientMessageId?: string;
  /** An earlier user message of the chat that this one replaces, with everything after it (an edit). */
  replacesMessageId?: string;
  text: string;
  attachments: MessageAttachment[];
  modelId?: string;
  mode: ChatMode;
}

/** Client ids kept as message ids: the AI SDK's generated ids, UUIDs and the like. */
const PLAIN_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Accepts one user message: checks the chat's owner (creating the chat on its first message), the
 * model against the plan and the allowance, saves the message and a stream row, and starts the reply
 * in the chat's Durable Object. An edit (`replacesMessageId`) first deletes the message it replaces and
 * everything after it, and the new message takes its id. Nothing is written when any check fails.
 */
export async function sendMessage({
  ctx,
  input,
}: {
  ctx: TurnContext;
  input: SendMessageInput;
}): Promise<{ job: GenerationJob; body: ReadableStream<Uint8Array> }> {
  const editing = input.replacesMessageId !== undefined;
  return startTurn(ctx, { ...input, chatMustExist: editing }, async (tx, job) => {
    if (input.replacesMessageId !== undefined) {
      const replaced = await deleteFromUserMessage(tx, {
        chatId: input.chatId,
        userId: input.userId,
        messageId: input.replacesMessageId,
      });
      if (!replaced) {
        throw new AppError("VALIDATION_ERROR", "messageId is not a user message of this chat", {
          details: [{ path: ["messageId"], message: "Not a user message of this chat" }],
        });
      }
    }
    const preferredId = input.replacesMessageId ?? input.clientMessageId;
    const parts: unknown[] = [{ type: "text", text: input.text }];
    for (const attachment of input.attachments) {
      parts.push({ type: "file", url: attachment.url, mediaType: attachment.mediaType, filename: attachment.name });
    }
    const savedId = await saveUserTurn(tx, {
      chatId: input.chatId,
      userId: input.userId,
      title: titleFromMessage(input.text),
      messageId: crypto.randomUUID(),
      preferredId: preferredId !== undefined && PLAIN_ID.test(preferredId) ? preferredId : undefined,
      parts,
      attachments: input.attachments,
      streamId: job.streamId,
    });
    // Another user's chat (created since the check above): rolled back, and as unknown as a missing one.
    if (savedId === undefined) throw notFound("Chat");
    job.userMessageId = savedId;
  });
}

export interface RegenerateInput {
  userId: string;
  chatId: string;
  /** The message to answer again from: a reply (replaced) or a user message; default the chat's last. */
  messageId?: string;
  modelId?: string;
  mode: ChatMode;
}

/**
 * Answers an earlier user message again (the AI SDK's `regenerate`): the reply being replaced, and any
 * message after it, are deleted in the transaction that counts the new reply against the allowance, and
 * the new reply is generated from the history that is left. The chat must exist and be the caller's.
 */
export async function regenerateReply({
  ctx,
  input,
}: {
  ctx: TurnContext;
  input: RegenerateInput;
}): Promise<{ job: GenerationJob; body: ReadableStream<Uint8Array> }> {
  return startTurn(ctx, { ...input, chatMustExist: true }, async (tx, job) => {
    const prepared = await prepareRegeneration(tx, {
      chatId: input.chatId,
      userId: input.userId,
      messageId: input.messageId,
      streamId: job.streamId,
    });
    if (prepared.status === "unknown-message") {
      throw input.messageId === undefined
        ? new AppError("VALIDATION_ERROR", "The chat has no message to answer")
        : new AppError("VALIDATION_ERROR", "messageId is not a message of this chat", {
            details: [{ path: ["messageId"], message: "Not a message of this chat" }],
          });
    }
    if (prepared.status === "no-user-message") {
      throw new AppError("VALIDATION_ERROR", "There is no user message before this one to answer");
    }
  });
}

interface TurnContext {
  db: Queryable;
  config: Config;
  stream: ChatStreamClient;
  /** The object of any of the user's chats, to tell which of them are generating. */
  streamOf: (chatId: string) => ChatBusyProbe;
  now?: Date;
}

/**
 * The part every turn shares: the owner and plan check, the model, the user's live replies, counting
 * against the allowance, `writeTurn` (what the turn saves, given its job, which it may complete), and
 * starting the reply once the chat's object is claimed. The transaction commits only when the claim
 * holds, so nothing is written on any refusal. The history the reply is generated from is read in the
 * same transaction, on a connection already open, and handed to the object with the job.
 */
async function startTurn(
  ctx: TurnContext,
  input: { userId: string; chatId: string; modelId?: string; mode: ChatMode; chatMustExist: boolean },
  writeTurn: (tx: Queryable, job: GenerationJob) => Promise<void>,
): Promise<{ job: GenerationJob; body: ReadableStream<Uint8Array> }> {
  const now = ctx.now ?? new Date();
  const turn = await readTurnContext(ctx.db, {
    userId: input.userId,
    paidAfter: proPaymentsSince(ctx.config, now),
    chatId: input.chatId,
  });
  if (turn.chatOwner !== undefined && turn.chatOwner !== input.userId) throw notFound("Chat");
  if (input.chatMustExist && turn.chatOwner === undefined) throw notFound("Chat");
  const plan = decidePlan({ subscriptions: turn.subscriptions, payments: turn.payments, config: ctx.config, now });
  const model = selectModel({ config: ctx.config, modelId: input.modelId, plan: plan.tier, mode: input.mode });

  const streamId = crypto.randomUUID();
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

  // The chat is the caller's (or new), so its object may be claimed while the turn is being saved; the
  // transaction commits only once the claim holds.
  let claimError: unknown;
  const claim: Promise<"claimed" | "busy" | "failed"> = ctx.stream.claim(streamId).then(
    (claimed) => (claimed ? "claimed" : "busy"),
    (error: unknown) => {
      claimError = error;
      return "failed";
    },
  );
  let replyInput: ReplyInput | undefined;
  try {
    await withTransaction(ctx.db, async (tx) => {
      await assertReplyCapacity({
        ctx: { db: tx, streamOf: ctx.streamOf, now },
        input: { userId: input.userId, chatId: input.chatId, limit: ctx.config.MAX_CONCURRENT_REPLIES_PER_USER },
      });
      const usage = { ctx: { db: tx, config: ctx.config, now }, input: { userId: input.userId, plan } };
      await reserveMessage(usage);
      if (input.mode === "extreme") await reserveExtremeSearch(usage);
      await writeTurn(tx, job);
      const claimed = await claim;
      if (claimed === "busy") throw replyInProgress();
      if (claimed === "failed") throw claimError;
      // Read only once the claim holds: the chat's previous reply is saved before its object lets a new
      // claim through, so the history cannot miss it.
      const [history, instructions] = await Promise.all([
        listHistory(tx, input.chatId),
        findCustomInstructions(tx, input.userId),
      ]);
      replyInput = { history, customInstructions: instructions?.content ?? null };
    });
  } catch (error) {
    const claimed = await claim;
    if (claimed === "claimed") await ctx.stream.release(streamId);
    // A live reply outranks the allowance and bad input: the client should wait for it, not for tomorrow.
    if (claimed === "busy" && !(error instanceof AppError && error.code === "NOT_FOUND")) throw replyInProgress();
    throw error;
  }
  if (!replyInput) throw new Error("The turn was saved without its history");
  const body = await ctx.stream.start(job, replyInput);
  return { job, body };
}

function replyInProgress(): AppError {
  return new AppError("CONFLICT", "A reply is already being generated in this chat; wait for it or stop it");
}
