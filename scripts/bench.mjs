// `npm run bench`: starts Mylo as `npm run dev` does (fresh embedded Postgres, wrangler dev), drives each
// scenario with autocannon and prints requests/s, p50/p99 latency and the ratio to the `/health` baseline,
// measured in slices alternating with the scenario (the column `/health`) so that drift over the run cancels out;
// the column `rounds` shows the lowest and highest ratio of a single round. A shortcut pair ("shortcut …") is
// measured against the same request with that shortcut switched off instead: its ratio is on ÷ off.
// BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 10) tune the run; BENCH_ONLY filters by name, in
// any case (`a|b`: scenarios whose name contains a or b).
// `npm run bench -- --write-docs` (or BENCH_WRITE_DOCS=1) also writes what it prints to docs/benchmarks.md,
// replacing the run that was there.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { bundleSizeMeasurement } from "./bench/bundle-size.mjs";
import { chatStreamMeasurement, STREAM_CHUNKS } from "./bench/chat-stream.mjs";
import { loadProfileMeasurement, loadProfileVars } from "./bench/load-profile.mjs";
import { lookoutClaimMeasurement } from "./bench/lookout-claim.mjs";
import { scenarios } from "./bench/scenarios.mjs";
import { webFirstTokenMeasurement } from "./bench/web-first-token.mjs";

// Measurements that are not a request rate: each returns { lines, failed } and prints after the table.
const measurements = [
  chatStreamMeasurement,
  webFirstTokenMeasurement,
  lookoutClaimMeasurement,
  loadProfileMeasurement,
  bundleSizeMeasurement,
];

import { freePort } from "./lib/embedded-pg.mjs";
import { root, startApp } from "./lib/start-app.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const only = process.env.BENCH_ONLY?.toLowerCase();
/** BENCH_ONLY selects by a part of the name, in any case; `a|b` by either part. */
const selected = (name) => !only || only.split("|").some((part) => name.toLowerCase().includes(part));

const writeDocs = process.argv.includes("--write-docs") || process.env.BENCH_WRITE_DOCS === "1";
if (writeDocs && only) {
  console.error("--write-docs records a full run: unset BENCH_ONLY");
  process.exit(2);
}
/** What the run prints after start-up, for docs/benchmarks.md. */
const printed = [];
function say(text) {
  console.log(text);
  printed.push(text);
}

/** Rounds of (/health, scenario) that each scenario is measured in, alternating. */
const SLICES = 4;

function run(url, { method = "GET", headers, body, requests }, duration = seconds) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, method, headers, body, requests, duration, connections, pipelining: 1 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("error", reject);
  });
}

function summarize(name, result) {
  return combine(name, [result]);
}

/** One summary of several runs of the same scenario: rates and latencies over all their requests. */
function combine(name, results) {
  const sum = (pick) => results.reduce((total, result) => total + pick(result), 0);
  const total = sum((result) => result.requests.total || 0);
  const p50s = results.map((result) => result.latency.p50).sort((a, b) => a - b);
  return {
    name,
    rps: total / sum((result) => result.duration),
    p50: p50s[Math.floor(p50s.length / 2)],
    p99: Math.max(...results.map((result) => result.latency.p99)),
    mean: sum((result) => result.latency.average * (result.requests.total || 0)) / (total || 1),
    errors: sum((result) => result.errors + result.timeouts),
    non2xx: sum((result) => result.non2xx ?? 0),
    total,
  };
}

/**
 * The machine's speed drifts during a run (other work on shared cores), so a scenario is measured in
 * slices alternating with /health, and its ratio is taken against /health measured over the same span.
 */
async function measureAgainstBaseline(url, prepared) {
  const slice = seconds / SLICES;
  const baseline = [];
  const scenario = [];
  // A shortcut pair's baseline is the same request with the shortcut switched off.
  const reference = prepared.shortcut
    ? { ...prepared, headers: { ...prepared.headers, "x-mylo-shortcuts-off": prepared.shortcut } }
    : undefined;
  for (let round = 0; round < SLICES; round++) {
    baseline.push(await run(`${url}${reference ? prepared.path : "/health"}`, reference ?? {}, slice));
    scenario.push(await run(`${url}${prepared.path}`, prepared, slice));
  }
  // Each round's own ratio, to show how much the machine's drift moves it within the run.
  const rate = (result) => (result.requests.total || 0) / result.duration;
  const rounds = scenario.map((result, round) => rate(result) / rate(baseline[round]));
  return { reference: combine("reference", baseline), summary: combine(prepared.name, scenario), rounds };
}

const port = await freePort();
console.log(`Starting Mylo on port ${port} (embedded Postgres, wrangler dev)…`);
const app = await startApp({
  port,
  quiet: true,
  logLevel: "warn",
  // The app plus the benchmark's model and baseline route, which the deployed Worker does not contain.
  entry: "bench/worker.ts",
  vars: {
    LOG_LEVEL: "warn",
    BENCH_STREAM_CHUNKS: String(STREAM_CHUNKS),
    FREE_DAILY_MESSAGES: "1000000",
    ...loadProfileVars,
  },
});
let failed = false;
try {
  // Warm up: the first requests compile the Worker and open the first connections.
  await run(`${app.url}/health`, {}).catch(() => {});
  const context = { url: app.url, databaseUrl: app.databaseUrl };
  const baseline = summarize("GET /health (baseline)", await run(`${app.url}/health`, {}));
  const rows = [{ ...baseline, ratio: 1, baselineRps: baseline.rps, verdict: "" }];
  for (const scenario of scenarios) {
    if (!selected(scenario.name)) continue;
    const prepared = { ...scenario, ...(scenario.setup ? await scenario.setup(context) : {}) };
    const { reference, summary, rounds } = await measureAgainstBaseline(app.url, prepared);
    const ratio = summary.rps / reference.rps;
    let verdict = "";
    const problem = prepared.verify ? await prepared.verify(context, summary) : undefined;
    if (summary.non2xx + summary.errors + reference.non2xx + reference.errors > 0) {
      verdict = "FAIL (errors)";
      failed = true;
    } else if (problem) {
      verdict = `FAIL (${problem})`;
      failed = true;
    } else if (scenario.target?.minRatio !== undefined) {
      const ok = ratio >= scenario.target.minRatio;
      verdict = `${ok ? "PASS" : "FAIL"} (target ≥ ${scenario.target.minRatio})`;
      if (!ok) failed = true;
    } else if (scenario.target?.maxLatencyRatioTo !== undefined) {
      const { maxLatencyRatioTo: referenceName, value } = scenario.target;
      const reference = rows.find((row) => row.name === referenceName);
      if (!reference) {
        verdict = `SKIP (${referenceName} not run)`;
      } else {
        const latencyRatio = summary.mean / reference.mean;
        const ok = latencyRatio <= value;
        verdict = `${ok ? "PASS" : "FAIL"} (mean latency ${latencyRatio.toFixed(2)}x the reference, target ≤ ${value}x)`;
        if (!ok) failed = true;
      }
    }
    const spread = `${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}`;
    rows.push({ ...summary, ratio, spread, baselineRps: reference.rps, verdict });
    if (prepared.report) say(await prepared.report(context));
  }

  say(`\n${seconds}s per scenario, ${connections} connections\n`);
  say(
    [
      "scenario".padEnd(44),
      "req/s".padStart(9),
      "p50 ms".padStart(8),
      "p99 ms".padStart(8),
      "errors".padStart(7),
      "ref/s".padStart(9),
      "ratio".padStart(7),
      "rounds".padStart(11),
      "  verdict",
    ].join(""),
  );
  for (const row of rows) {
    say(
      [
        row.name.padEnd(44),
        row.rps.toFixed(0).padStart(9),
        String(row.p50).padStart(8),
        String(row.p99).padStart(8),
        String(row.errors + row.non2xx).padStart(7),
        row.baselineRps.toFixed(0).padStart(9),
        row.ratio.toFixed(2).padStart(7),
        (row.spread ?? "").padStart(11),
        `  ${row.verdict}`,
      ].join(""),
    );
  }
  for (const measurement of measurements) {
    if (!selected(measurement.name)) continue;
    const result = await measurement.measure(context);
    say(`\n${result.lines.join("\n")}`);
    if (result.failed) failed = true;
  }
} finally {
  await app.stop();
}
if (writeDocs) writeBenchmarksDoc();
process.exit(failed ? 1 : 0);

function writeBenchmarksDoc() {
  const git = (...args) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  const commit = git("rev-parse", "--short", "HEAD") || "unknown";
  const changed = git("status", "--porcelain", "--untracked-files=no") ? " plus uncommitted changes" : "";
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
  const text = [
    "# Benchmarks",
    "",
    "The latest full `npm run bench` run, as it printed, and nothing older: `npm run bench -- --write-docs`",
    "writes this file (each run replaces it). How the numbers are taken: [reliability.md](reliability.md).",
    "",
    `- When: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}, commit ${commit}${changed}`,
    `- Machine: ${machine}, load average ${os.loadavg()[0].toFixed(1)} at the end (a shared machine: rates drift; ratios to the \`/health\` measured alongside are what the targets check)`,
    `- Settings: BENCH_SECONDS=${seconds}, BENCH_CONNECTIONS=${connections}`,
    `- Verdict: ${failed ? "at least one target missed (exit code 1)" : "every target met"}`,
    "",
    "```text",
    printed.join("\n").trim(),
    "```",
    "",
  ].join("\n");
  writeFileSync(path.join(root, "docs", "benchmarks.md"), text);
  console.log("\nWrote docs/benchmarks.md");
}
