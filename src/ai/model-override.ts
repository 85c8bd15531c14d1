import type { LanguageModel } from "ai";
import type { Config } from "../env";

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

/** The model every generation uses instead of the registry's, if one was set; never in production. */
export function modelOverrideFor(config: Pick<Config, "APP_ENV">): LanguageModel | undefined {
  return config.APP_ENV === "production" ? undefined : override;
}
