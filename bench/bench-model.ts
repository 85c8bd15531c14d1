import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from "@ai-sdk/provider";

/**
 * A model that streams `chunks` short text deltas as fast as it can: the benchmark's worker
 * (bench/worker.ts) answers every reply with it, to measure the streaming path without a provider.
 */
export class BenchLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "mylo.bench";
  readonly modelId = "bench";
  readonly supportedUrls: Record<string, RegExp[]> = {};

  /** Text deltas handed out so far, over all calls. */
  produced = 0;

  constructor(private readonly chunks: number) {}

  async doGenerate(): Promise<LanguageModelV4GenerateResult> {
    return {
      content: [{ type: "text", text: "chunk ".repeat(this.chunks) }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: this.usage(),
      warnings: [],
    };
  }

  async doStream(_options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const total = this.chunks;
    const usage = this.usage();
    let index = -1;
    const model = this;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      pull(controller) {
        if (index === -1) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "t" });
        } else if (index < total) {
          controller.enqueue({ type: "text-delta", id: "t", delta: `c${index} ` });
          model.produced++;
        } else {
          controller.enqueue({ type: "text-end", id: "t" });
          controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
          controller.close();
        }
        index++;
      },
    });
    return { stream };
  }

  private usage() {
    return {
      inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: this.chunks, text: this.chunks, reasoning: 0 },
    };
  }
}
