import type { Config } from "../../src/env";

let installed: Partial<Config> | undefined;

/**
 * Lays configuration over the test worker's for every invocation from now on (requests, the chat's
 * Durable Object, queue consumers), e.g. a fake provider key that switches a tool on; undefined removes it.
 */
export function setConfigOverride(config: Partial<Config> | undefined): void {
  installed = config;
}

/** The test worker's configuration seam (BootstrapOptions.configOverride). */
export const installedConfig = (): Partial<Config> | undefined => installed;
