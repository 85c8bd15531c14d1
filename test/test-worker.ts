// The Worker the tests run (vitest.config.ts `main`): the app as deployed, with a Durable Object that
// also lets a test wait for the reply it is generating. wrangler.toml binds CHAT_STREAM to the class
// exported here under the same name.
import { ChatStream as AppChatStream } from "../src/durable-objects/chat-stream.do";
import type { ReplyOutcome } from "../src/services/chat/generation-job";

export { default } from "../src/index";

export class ChatStream extends AppChatStream {
  /** Resolves when the current reply has ended (null when none is generating). */
  async waitForReply(): Promise<ReplyOutcome | null> {
    return this.running ? this.running.done : null;
  }
}
