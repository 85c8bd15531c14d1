import type { ChatMode } from "../../ai/modes";

/** What the chat's Durable Object needs to produce one reply; plain data, so it crosses RPC. */
export interface GenerationJob {
  streamId: string;
  chatId: string;
  userId: string;
  assistantMessageId: string;
  /** The id the turn's user message was saved with (none when a reply is regenerated). */
  userMessageId?: string;
  modelId: string;
  mode: ChatMode;
  /** When the allowance was counted, so a refund returns it to the right day and month. */
  reservedAt: string;
  extremeSearchReserved: boolean;
}

export interface ReplyOutcome {
  status: "finished" | "stopped" | "failed";
  saved: boolean;
  refunded: boolean;
}

/**
 * What a reply is generated from, read in the transaction that saved its turn and handed to the chat's
 * object with the job (never stored with it): the object then needs no database round trip before the
 * model starts.
 */
export interface ReplyInput {
  /** The chat's latest messages, oldest first, the turn's own message last. */
  history: Array<{ id: string; role: string; parts: unknown }>;
  customInstructions: string | null;
}
