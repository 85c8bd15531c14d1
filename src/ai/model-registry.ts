import type { LanguageModel } from "ai";
import type { Config } from "../env";
import { BenchLanguageModel } from "./bench-model";
import { type ProviderConfig, resolveModel } from "./models";

/** The AI SDK model for a registry id (the provider's default when none), as one invocation resolves it. */
export interface ModelRegistry {
  /**
   * `reply` is a chat reply, which the benchmark's model stands in for when BENCH_STREAM_CHUNKS is set
   * outside production; `report` is a lookout's run.
   */
  resolve(modelId?: string | null, use?: "reply" | "report"): LanguageModel;
}

export interface ModelRegistryOptions {
  config: ProviderConfig & Pick<Config, "APP_ENV" | "BENCH_STREAM_CHUNKS">;
  env: { AI?: Ai };
  /**
   * The provider seam: a model every resolution returns instead of the registry's provider (tests
   * install a mock through the test worker). Production never sets it.
   */
  override?: () => LanguageModel | undefined;
}

export function createModelRegistry({ config, env, override }: ModelRegistryOptions): ModelRegistry {
  return {
    resolve(modelId, use = "reply") {
      const installed = override?.();
      if (installed) return installed;
      if (use === "reply" && config.APP_ENV !== "production" && config.BENCH_STREAM_CHUNKS) {
        return new BenchLanguageModel(config.BENCH_STREAM_CHUNKS);
      }
      return resolveModel({ config, env, modelId });
    },
  };
}
