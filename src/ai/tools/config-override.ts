import type { ToolConfig } from "./types";

let override: ToolConfig | undefined;

/**
 * The provider-key seam, like the model override: tests switch a keyed tool on for replies generated
 * in their isolate (the Durable Object runs there). Honoured outside production only.
 */
export function setToolConfigOverride(config: ToolConfig | undefined): void {
  override = config;
}

/** The configuration the tools read: the app's, with a test's override on top outside production. */
export function effectiveToolConfig(config: ToolConfig & { APP_ENV?: string }): ToolConfig {
  if (!override || config.APP_ENV === "production" || config.APP_ENV === undefined) return config;
  return { ...config, ...override };
}
