// Starts Mylo locally: a database (DATABASE_URL, or an embedded Postgres), migrations, then `wrangler dev`.
// Used by `npm run dev` and `npm run bench`, so the benchmark measures the app as developers run it.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "./embedded-pg.mjs";
import { applyMigrations } from "./migrate.mjs";
import { startPoolProxyProcess } from "./pg-pool-proxy.process.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Defaults for local development; `.dev.vars` (read by wrangler) overrides each of them. The public URL
 * follows the port, and both local spellings of the origin are trusted, so a browser signs up and chats
 * with no `.dev.vars` at all.
 */
function localDefaults(port) {
  return {
    APP_ENV: "development",
    AI_PROVIDER: "offline",
    REQUIRE_EMAIL_VERIFICATION: "false",
    BETTER_AUTH_SECRET: "local-development-secret-change-me-0123456789",
    BETTER_AUTH_URL: `http://localhost:${port}`,
    TRUSTED_ORIGINS: `http://localhost:${port},http://127.0.0.1:${port}`,
  };
}

const viteBin = () => path.join(root, "node_modules", ".bin", "vite");
const viteArgs = ["build", "--config", "src/web/vite.config.ts", "--logLevel", "warn"];

/** Builds the web app into dist/web (wrangler refuses to start without the assets folder). */
export async function buildWebApp() {
  const child = spawn(viteBin(), viteArgs, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`Building the web app failed (vite exited ${code})`);
}

/** Rebuilds the web app on every change (wrangler dev serves the new files within about a second). */
function watchWebApp() {
  return spawn(viteBin(), [...viteArgs, "--watch"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
}

function devVarsKeys() {
  const file = path.join(root, ".dev.vars");
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#") && line.includes("="))
      .map((line) => line.slice(0, line.indexOf("=")).trim()),
  );
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Mylo did not answer /health within ${timeoutMs / 1000}s`);
}

/**
 * @param {{ port?: number, persistentData?: boolean, quiet?: boolean, logLevel?: string, vars?: Record<string,string>,
 *   onProxyExit?: (reason: string) => void, watchPage?: boolean, skipPageBuild?: boolean, entry?: string }} options
 *   `entry` runs another Worker module in place of wrangler.toml's `main` (the benchmark's bench/worker.ts),
 *   with the same bindings.
 */
export async function startApp(options = {}) {
  const port = options.port ?? Number(process.env.PORT ?? 8787);
  if (!options.skipPageBuild) await buildWebApp();
  let pg;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres(
      options.persistentData
        ? { dataDir: path.join(root, ".data", "pg"), port: Number(process.env.PGPORT ?? 0) || undefined }
        : {},
    );
    databaseUrl = pg.url;
  }
  try {
    await applyMigrations(databaseUrl);
  } catch (error) {
    await pg?.stop();
    throw error;
  }

  // Hyperdrive pools connections in production; locally this proxy does the same in front of the database,
  // so a request does not pay for a new Postgres backend. It runs in its own process, as Hyperdrive runs
  // apart from the Worker, so nothing else in this process (the benchmark's load generator) delays it.
  let proxy;
  try {
    proxy = await startPoolProxyProcess(
      { target: databaseUrl, poolSize: 20 },
      { onUnexpectedExit: options.onProxyExit },
    );
  } catch (error) {
    await pg?.stop();
    throw error;
  }

  const fromDevVars = devVarsKeys();
  const vars = { ...localDefaults(port), ...options.vars };
  const varArgs = Object.entries(vars)
    .filter(([key]) => !fromDevVars.has(key) || options.vars?.[key] !== undefined)
    .flatMap(([key, value]) => ["--var", `${key}:${value}`]);

  // A throwaway run (tests, benchmark) keeps wrangler's local state (Durable Object storage, alarms) in a
  // folder of its own: another wrangler on the same checkout would otherwise share its SQLite files.
  const stateDir = options.persistentData ? undefined : mkdtempSync(path.join(os.tmpdir(), "mylo-wrangler-"));

  const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
  const child = spawn(
    wranglerBin,
    [
      "dev",
      ...(options.entry ? [options.entry] : []),
      "--local",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--show-interactive-dev-session=false",
      ...(options.logLevel ? ["--log-level", options.logLevel] : []),
      ...(stateDir ? ["--persist-to", stateDir] : []),
      ...varArgs,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: proxy.url,
        WRANGLER_SEND_METRICS: "false",
        // wrangler's local observability streams a trace of every invocation to a collector Worker in the
        // app's own workerd process, which writes it to SQLite for the local explorer: it more than doubled
        // the CPU a request costs there (1.6 ms instead of 0.7 ms for /health). Off unless asked for.
        X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false",
        // `npm run` puts node_modules/.bin (with the pinned Node 22) first on PATH; keep it for wrangler.
        PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
      },
      stdio: options.quiet ? ["ignore", "ignore", "pipe"] : ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
  const watcher = options.watchPage ? watchWebApp() : undefined;
  // wrangler and the watcher run in process groups of their own; if this process exits before stop()
  // (a signal during start-up, say), they must not outlive it holding the port.
  const killGroups = () => {
    for (const pid of [child.pid, watcher?.pid]) {
      try {
        if (pid) process.kill(-pid, "SIGKILL");
      } catch {}
    }
  };
  process.once("exit", killGroups);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const url = `http://localhost:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", killGroups);
    if (watcher && watcher.exitCode === null) {
      try {
        process.kill(-watcher.pid, "SIGTERM");
      } catch {
        watcher.kill("SIGTERM");
      }
    }
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    await proxy.close();
    await pg?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${stderr}`);
  }
  return { url, databaseUrl, stop, wranglerPid: child.pid, child };
}
