// `npm run dev`: embedded Postgres (kept in .data/pg) or DATABASE_URL, migrations, then wrangler dev.
import { startApp } from "./lib/start-app.mjs";

let stopping = false;
// Without the pooling proxy every database route would fail, so its unexpected exit stops everything.
let proxyFailure;
let app;
const proxyStopped = async (reason) => {
  proxyFailure = reason;
  if (!app || stopping) return;
  stopping = true;
  console.error(`${reason}; stopping wrangler and the database.`);
  await app.stop();
  process.exit(1);
};
app = await startApp({ persistentData: true, watchPage: true, onProxyExit: proxyStopped });
if (proxyFailure) await proxyStopped(proxyFailure);
console.log(`\nMylo is running at ${app.url}  (database: ${app.databaseUrl.replace(/:[^:@/]+@/, ":****@")})`);
console.log(`Open ${app.url} in a browser   ·   API reference: ${app.url}/docs   ·   Ctrl-C stops everything.\n`);

const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping wrangler and the database…`);
  await app.stop();
  process.exit(0);
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
app.child.on("exit", async (code) => {
  if (stopping) return;
  console.error(`wrangler dev exited (${code}); stopping the database.`);
  stopping = true;
  await app.stop();
  process.exit(code ?? 1);
});
