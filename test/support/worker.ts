// The Worker under test (vitest.config.ts `main`): the real entry points and Durable Object, wired with
// the test seams (the model a test installs with setModelOverride, configuration laid over with setConfigOverride), and a Durable Object that also lets a
// test wait for the reply it is generating. wrangler.toml binds CHAT_STREAM to the class exported here.
import type { BootstrapOptions } from "../../src/bootstrap";
import { ChatStream as AppChatStream } from "../../src/durable-objects/chat-stream.do";
import type { ReplyOutcome } from "../../src/services/replies/generation-job";
import { createWorker } from "../../src/worker";
import { installedConfig } from "./config";
import { installedModel } from "./models";

const testBootstrap: BootstrapOptions = { modelOverride: installedModel, configOverride: installedConfig };

export class ChatStream extends AppChatStream {
  protected override readonly bootstrapOptions = testBootstrap;

  /** Resolves when the current reply has ended (null when none is generating). */
  async waitForReply(): Promise<ReplyOutcome | null> {
    return this.running ? this.running.done : null;
  }
}

export default createWorker(testBootstrap);
