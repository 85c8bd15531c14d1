import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import wranglerToml from "../../wrangler.toml?raw";

/** The `run_worker_first` list of wrangler.toml's `[assets]` block. */
function runWorkerFirst(toml: string): string[] {
  const assets = toml.match(/^\[assets\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m)?.[1];
  if (assets === undefined) throw new Error("wrangler.toml has no [assets] block");
  const list = assets.match(/^run_worker_first\s*=\s*\[([^\]]*)\]/m)?.[1];
  if (list === undefined) throw new Error("[assets] has no run_worker_first list");
  return [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((match) => match[1] ?? match[2] ?? "");
}

/**
 * The platform's matching (workers-shared's static routing): a rule is a glob over the whole path where
 * `*` matches anything, including `/`; otherwise the path must be equal. A rule starting with `!` sends
 * matching paths to the assets and wins over the others.
 */
function globMatches(rule: string, path: string): boolean {
  const source = rule
    .split("*")
    .map((part) => part.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(path);
}

function reachesWorker(rules: string[], path: string): boolean {
  const toAssets = rules.filter((rule) => rule.startsWith("!")).map((rule) => rule.slice(1));
  const toWorker = rules.filter((rule) => !rule.startsWith("!"));
  if (toAssets.some((rule) => globMatches(rule, path))) return false;
  return toWorker.some((rule) => globMatches(rule, path));
}

const sampleId = "0b0c0d0e-0000-4000-8000-000000000000";

/** A concrete path for a registered route: every `:param` gets a sample value, a `*` a sample segment. */
function samplePath(routePath: string): string {
  return routePath
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) return sampleId;
      if (segment === "*") return "sample";
      return segment;
    })
    .join("/");
}

const rules = runWorkerFirst(wranglerToml);
const app = createApp();
// Every registered path, routes and path-scoped middleware alike; `/*` is the app-wide middleware.
const routePaths = [...new Set(app.routes.map((route) => route.path).filter((path) => path !== "/*" && path !== "*"))];

describe("run_worker_first in wrangler.toml", () => {
  it("is read from the [assets] block", () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(rules).toContain("/api/*");
    for (const rule of rules) expect(rule).toMatch(/^!?\//);
  });

  it("sends every route the Worker registers to the Worker", () => {
    expect(routePaths).toEqual(expect.arrayContaining(["/health", "/api/config", "/api/chat/:id/stream"]));
    const missed = routePaths.map(samplePath).filter((path) => !reachesWorker(rules, path));
    expect(missed).toEqual([]);
  });

  it("sends the Worker's well-known paths to the Worker", () => {
    const paths = ["/api/auth/sign-in/email", "/health", "/ready", "/docs", "/openapi.json", "/api/config"];
    expect(paths.filter((path) => !reachesWorker(rules, path))).toEqual([]);
  });

  it("leaves the web app's pages and files to the assets", () => {
    const pages = [
      "/",
      `/chat/${sampleId}`,
      "/lookouts",
      "/lookouts/x",
      "/settings",
      "/sign-in",
      "/sign-up",
      "/forgot-password",
      "/reset-password",
      "/verify-email",
      "/assets/index.js",
      "/vendor/scalar-api-reference.js",
    ];
    expect(pages.filter((path) => reachesWorker(rules, path))).toEqual([]);
  });

  it("matches as the platform does", () => {
    expect(globMatches("/api/*", "/api/chats")).toBe(true);
    expect(globMatches("/api/*", "/api/chat/x/stream")).toBe(true);
    expect(globMatches("/api/*", "/apis")).toBe(false);
    expect(globMatches("/docs", "/docs/x")).toBe(false);
    expect(globMatches("/docs", "/docs")).toBe(true);
    expect(reachesWorker(["/api/*", "!/api/static/*"], "/api/static/a.js")).toBe(false);
    expect(reachesWorker(["/api/*", "!/api/static/*"], "/api/me")).toBe(true);
  });
});
