import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
    neonProxy: string;
    faultControl: string;
  }
}

interface StartedPg {
  url: string;
  stop(): Promise<void>;
}

// Vite resolves imports here with the `workerd` condition; Node-side code is loaded through Node itself.
const require = createRequire(import.meta.url);

/**
 * A loopback-only switch for the fault proxy: `GET /db` gives its connection string, `POST /db/down` and
 * `POST /db/up` take the database away and bring it back.
 */
async function startFaultControl(faultProxy: { url: string; setUpstreamAvailable(available: boolean): void }) {
  const server = createServer((request, response) => {
    const route = `${request.method} ${request.url}`;
    if (route === "POST /db/down") faultProxy.setUpstreamAvailable(false);
    else if (route === "POST /db/up") faultProxy.setUpstreamAvailable(true);
    else if (route !== "GET /db") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ connectionString: faultProxy.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export default async function setup(project: TestProject) {
  const { startEmbeddedPostgres } = require("../scripts/lib/embedded-pg.mjs") as {
    startEmbeddedPostgres(options?: object): Promise<StartedPg>;
  };
  const { applyMigrations } = require("../scripts/lib/migrate.mjs") as { applyMigrations(url: string): Promise<void> };
  const { startPoolProxy } = require("../scripts/lib/pg-pool-proxy.mjs") as {
    startPoolProxy(options: { target: string; poolSize?: number }): Promise<{
      url: string;
      close(): Promise<void>;
      setUpstreamAvailable(available: boolean): void;
    }>;
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

  // Fault tests get a proxy of their own, so a simulated outage never reaches other test files.
  const faultProxy = await startPoolProxy({ target: url, poolSize: 5 });
  const faultControl = await startFaultControl(faultProxy);
  project.provide("faultControl", faultControl.url);

  return async () => {
    await faultControl.close();
    await faultProxy.close();
    await relay.close();
    await proxy.close();
    await pg?.stop();
  };
}
