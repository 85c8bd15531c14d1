import { env } from "cloudflare:workers";
import type { ChatStream } from "./worker";

/** The chat's Durable Object as the tests run it (test/support/worker.ts), with `waitForReply`. */
export function chatStream(chatId: string): DurableObjectStub<ChatStream> {
  return (env.CHAT_STREAM as unknown as DurableObjectNamespace<ChatStream>).getByName(chatId);
}

/** Resolves when the chat's current reply has ended. */
export const replyDone = (chatId: string) => chatStream(chatId).waitForReply();
