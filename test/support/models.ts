import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { LanguageModel } from "ai";
import { MockLanguageModelV4, simulateReadableStream } from "ai/test";
import { afterEach } from "vitest";

export interface TestModel {
  /** Every generation from now until the test ends uses `model`. */
  install(model: LanguageModel): void;
  /** Back to the configured provider (the offline model in tests) before the test ends. */
  remove(): void;
}

/**
 * The one way a test file puts a mock model in place of the provider; each test starts without one.
 * Tests never touch the override themselves, so where it lives can change here alone.
 */
export function useModel(): TestModel {
  afterEach(() => setModelOverride(undefined));
  return {
    install: (model) => setModelOverride(model),
    remove: () => setModelOverride(undefined),
  };
}

let installed: LanguageModel | undefined;

/**
 * Installs the model every generation of the test worker (test/support/worker.ts: requests, the chat's
 * Durable Object, queue consumers) uses instead of the registry's provider; undefined removes it.
 */
export function setModelOverride(model: LanguageModel | undefined): void {
  installed = model;
}

/** The test worker's model seam (BootstrapOptions.modelOverride). */
export const installedModel = (): LanguageModel | undefined => installed;

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** One model call that streams text in the given pieces. */
export function textTurn(
  pieces: string[],
  tokens = { input: 120, output: pieces.length },
): LanguageModelV4StreamPart[] {
  const id = crypto.randomUUID();
  return [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id },
    ...pieces.map((delta) => ({ type: "text-delta" as const, id, delta })),
    { type: "text-end", id },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(tokens.input, tokens.output) },
  ];
}

/** One model call that asks for a tool. */
export function toolTurn(toolName: string, input: unknown): LanguageModelV4StreamPart[] {
  const toolCallId = crypto.randomUUID();
  return [
    { type: "stream-start", warnings: [] },
    { type: "tool-call", toolCallId, toolName, input: JSON.stringify(input) },
    { type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage: usage(80, 12) },
  ];
}

/** A mock model whose n-th call streams `turns[n]` (the last turn repeats), `delayMs` between parts. */
export function scriptedModel(turns: LanguageModelV4StreamPart[][], delayMs = 0): MockLanguageModelV4 {
  let call = 0;
  return new MockLanguageModelV4({
    doStream: async () => {
      const chunks = turns[Math.min(call++, turns.length - 1)] ?? [];
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: delayMs, initialDelayInMs: delayMs }) };
    },
  });
}

/** A model whose provider fails before producing anything. */
export function failingModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async () => {
      throw new Error("provider exploded: upstream 503");
    },
  });
}

/** A model that streams some text, then fails mid-stream. */
export function failingMidStreamModel(pieces: string[]): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async () => {
      const id = crypto.randomUUID();
      const parts: LanguageModelV4StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id },
        ...pieces.map((delta) => ({ type: "text-delta" as const, id, delta })),
      ];
      let index = 0;
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          pull(controller) {
            const part = parts[index++];
            if (part) controller.enqueue(part);
            else controller.error(new Error("connection to provider reset"));
          },
        }),
      };
    },
  });
}

/** A model that streams `before`, then waits until `resume()` before streaming `after` and finishing. */
export function pausingModel(before: string[], after: string[]) {
  let resume = () => {};
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const model = new MockLanguageModelV4({
    doStream: async () => {
      const id = crypto.randomUUID();
      const head: LanguageModelV4StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id },
        ...before.map((delta) => ({ type: "text-delta" as const, id, delta })),
      ];
      const tail: LanguageModelV4StreamPart[] = [
        ...after.map((delta) => ({ type: "text-delta" as const, id, delta })),
        { type: "text-end", id },
        {
          type: "finish",
          finishReason: { unified: "stop", raw: "stop" },
          usage: {
            inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 5, text: 5, reasoning: 0 },
          },
        },
      ];
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          async start(controller) {
            for (const part of head) controller.enqueue(part);
            await resumed;
            for (const part of tail) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  });
  return { model, resume: () => resume() };
}
