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
