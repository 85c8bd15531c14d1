import type { LanguageModel } from "ai";
import type { Config } from "../env";
import { BenchLanguageModel } from "./bench-model";

let override: LanguageModel | undefined;

/**
 * The provider seam: tests put a mock model here (the Durable Object runs in the test's isolate), and
 * every generation then uses it instead of the registry's provider. Production code never sets it.
 */
export function setModelOverride(model: LanguageModel | undefined): void {
  override = model;
}

export function getModelOverride(): LanguageModel | undefined {
  return override;
}

/** The model every generation uses instead of the registry's: a test's mock, or the benchmark's model. */
export function modelOverrideFor(config: Pick<Config, "APP_ENV" | "BENCH_STREAM_CHUNKS">): LanguageModel | undefined {
  if (override) return override;
  if (config.APP_ENV !== "production" && config.BENCH_STREAM_CHUNKS) {
    return new BenchLanguageModel(config.BENCH_STREAM_CHUNKS);
  }
  return undefined;
}
