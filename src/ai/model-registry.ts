import type { LanguageModel } from "ai";
import type { Config } from "../env";
import { type ProviderConfig, resolveModel } from "./models";

/** What a model is resolved for: a chat reply, or a lookout's report. */
export type ModelUse = "reply" | "report";

/** The AI SDK model for a registry id (the provider's default when none), as one invocation resolves it. */
export interface ModelRegistry {
  resolve(modelId?: string | null, use?: ModelUse): LanguageModel;
}

export interface ModelRegistryOptions {
  config: ProviderConfig & Pick<Config, "APP_ENV">;
  env: { AI?: Ai };
  /**
   * The provider seam: a model returned instead of the registry's provider (tests install a mock through
   * the test worker; the benchmark's worker puts its fast model behind replies). Ignored in production.
   */
  override?: (use: ModelUse) => LanguageModel | undefined;
}

export function createModelRegistry({ config, env, override }: ModelRegistryOptions): ModelRegistry {
  return {
    resolve(modelId, use = "reply") {
      const installed = config.APP_ENV === "production" ? undefined : override?.(use);
      return installed ?? resolveModel({ config, env, modelId });
    },
  };
}
