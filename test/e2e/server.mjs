// The app for the browser tests, started as `npm run dev` starts it (startApp: page build, embedded
// Postgres, migrations, pooling proxy, wrangler dev), on port 8788 with a throwaway database, a slowly
// streaming offline model, a local stand-in for Open-Meteo, Polar webhooks and a small daily allowance.
import { createServer } from "node:http";
import { startApp } from "../../scripts/lib/start-app.mjs";
import { e2eVars, fakeForecast, fakePlace } from "./server-config.mjs";

/** Open-Meteo's geocoding and forecast answers, in the shapes src/ai/tools/open-meteo.ts reads. */
function startFakeOpenMeteo() {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let body;
    if (url.pathname === "/v1/search") {
      const name = url.searchParams.get("name") ?? "";
      body = { results: name.trim() ? [fakePlace(name)] : [] };
    } else if (url.pathname === "/v1/forecast") {
      body = fakeForecast(Number(url.searchParams.get("forecast_days") ?? 3));
    } else {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: true, reason: "Not found" }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

// A throwaway database every run: never a DATABASE_URL from the environment.
delete process.env.DATABASE_URL;

const openMeteo = await startFakeOpenMeteo();
let app;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  try {
    await app?.stop();
  } finally {
    await openMeteo.close();
    process.exit(code);
  }
};
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));

try {
  app = await startApp({
    port: 8788,
    persistentData: false,
    logLevel: "warn",
    onProxyExit: (reason) => {
      if (stopping) return;
      console.error(`${reason}; stopping.`);
      void stop(1);
    },
    vars: {
      ...e2eVars,
      OPEN_METEO_GEOCODING_URL: `${openMeteo.url}/v1/search`,
      OPEN_METEO_FORECAST_URL: `${openMeteo.url}/v1/forecast`,
    },
  });
} catch (error) {
  console.error(error);
  await stop(1);
}
app.child.on("exit", (code) => {
  if (stopping) return;
  console.error(`wrangler dev exited (${code})`);
  void stop(code ?? 1);
});
console.log(`Mylo for the browser tests: ${app.url}`);
