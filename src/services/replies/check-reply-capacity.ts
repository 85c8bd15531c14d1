import type { Queryable } from "../../db/client";
import { lockUserTurns, recentlyUsedChats } from "../../db/queries/live-replies";
import { AppError } from "../../lib/errors";

/** What this check needs of a chat's Durable Object. */
export interface ChatBusyProbe {
  /** True while a reply is being generated there, or a message is being accepted for one. */
  isBusy(): Promise<boolean>;
}

/** How far back a chat may have been used and still be generating its reply. */
export const LIVE_REPLY_WINDOW_MS = 60 * 60 * 1000;
/** The most recently used chats looked at; older ones are not expected to be generating still. */
const MAX_CHATS_CHECKED = 50;

/**
 * Refuses a turn while the user already has `limit` replies generating in other chats (429). Runs in the
 * turn's transaction, after a per-user lock, so concurrent turns count one after another: each sees the
 * chats the earlier ones committed, whose objects were claimed before they committed. The chats' objects
 * are the truth about which replies are live (a reply that failed, stopped or was recovered after a
 * restart is not); the database only narrows down which of them to ask.
 */
export async function assertReplyCapacity({
  ctx,
  input,
}: {
  ctx: { db: Queryable; streamOf: (chatId: string) => ChatBusyProbe; now?: Date };
  input: { userId: string; chatId: string; limit: number };
}): Promise<void> {
  const now = ctx.now ?? new Date();
  await lockUserTurns(ctx.db, input.userId);
  const candidates = await recentlyUsedChats(ctx.db, {
    userId: input.userId,
    exceptChatId: input.chatId,
    since: new Date(now.getTime() - LIVE_REPLY_WINDOW_MS),
    limit: MAX_CHATS_CHECKED,
  });
  // Fewer recently used chats than the limit cannot hold that many live replies: no object is asked.
  if (candidates.length < input.limit) return;
  const busy = await Promise.all(candidates.map((chatId) => ctx.streamOf(chatId).isBusy()));
  const live = busy.filter(Boolean).length;
  if (live >= input.limit) {
    throw new AppError(
      "RATE_LIMITED",
      `At most ${input.limit} replies can be generated at once; wait for one to finish or stop it`,
      { details: { limit: input.limit, live }, headers: { "Retry-After": "10" } },
    );
  }
}
