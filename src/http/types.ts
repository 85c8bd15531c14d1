import type { Deps } from "../deps";
import type { Config, Env } from "../env";
import type { Logger } from "../lib/log";

export interface AppVariables {
  requestId: string;
  log: Logger;
  config: Config;
  deps: Deps;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
