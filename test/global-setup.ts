import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
    neonProxy: string;
  }
}

interface StartedPg {
  url: string;
  stop(): Promise<void>;
}

// Vite resolves imports here with the `workerd` condition; Node-side code is loaded through Node itself.
const require = createRequire(import.meta.url);

export default async function setup(project: TestProject) {
  const { startEmbeddedPostgres } = require("../scripts/lib/embedded-pg.mjs") as {
    startEmbeddedPostgres(options?: object): Promise<StartedPg>;
  };
  const { applyMigrations } = require("../scripts/lib/migrate.mjs") as { applyMigrations(url: string): Promise<void> };
  const { startPoolProxy } = require("../scripts/lib/pg-pool-proxy.mjs") as {
    startPoolProxy(options: { target: string; poolSize?: number }): Promise<{ url: string; close(): Promise<void> }>;
  };
  const { startWsRelay } = require("./support/ws-relay.mjs") as {
    startWsRelay(target: { host: string; port: number }): Promise<{ url: string; close(): Promise<void> }>;
  };

  let pg: StartedPg | undefined;
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    pg = await startEmbeddedPostgres({ database: "mylo_test" });
    url = pg.url;
  }
  await applyMigrations(url);
  const target = new URL(url);
  const relay = await startWsRelay({ host: target.hostname, port: Number(target.port || 5432) });

  // The Worker reaches the database as in development: through a pooling proxy, as Hyperdrive pools in production.
  const proxy = await startPoolProxy({ target: url, poolSize: 20 });
  // The wrangler config is parsed with the Hyperdrive binding; point its local side at the proxy.
  process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = proxy.url;
  project.provide("pgUrl", proxy.url);
  project.provide("neonProxy", relay.url);

  return async () => {
    await relay.close();
    await proxy.close();
    await pg?.stop();
  };
}
