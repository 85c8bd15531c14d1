// The Worker under test (vitest.config.ts `main`): the real entry points and Durable Object, wired with
// the test seams (the model a test installs with setModelOverride).
import type { BootstrapOptions } from "../../src/bootstrap";
import { ChatStream as AppChatStream } from "../../src/durable-objects/chat-stream.do";
import { createWorker } from "../../src/worker";
import { installedModel } from "./models";

const testBootstrap: BootstrapOptions = { modelOverride: installedModel };

export class ChatStream extends AppChatStream {
  protected override readonly bootstrapOptions = testBootstrap;
}

export default createWorker(testBootstrap);
