import type { LanguageModel } from "ai";

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
