// `npm run types:env` regenerates worker-configuration.d.ts (the `Env` type) from wrangler.toml with
// `wrangler types`; `npm run check:env-types` (CI) regenerates it to a temp folder and fails when the
// committed file differs. Runtime types stay out: @cloudflare/workers-types provides them.
// wrangler runs in a temp folder holding only wrangler.toml (and a link to src/ for the main module), so
// a developer's .dev.vars or .env never adds their secrets to the committed type.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, "worker-configuration.d.ts");
const check = process.argv.includes("--check");

const work = mkdtempSync(path.join(tmpdir(), "mylo-env-types-"));
let generated;
try {
  copyFileSync(path.join(root, "wrangler.toml"), path.join(work, "wrangler.toml"));
  symlinkSync(path.join(root, "src"), path.join(work, "src"), "dir");
  const wrangler = path.join(root, "node_modules", ".bin", "wrangler");
  const result = spawnSync(wrangler, ["types", "--include-runtime=false", "--strict-vars=false"], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error("env-types: `wrangler types` failed");
    process.exit(1);
  }
  generated = readFileSync(path.join(work, "worker-configuration.d.ts"), "utf8");
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (!check) {
  writeFileSync(target, generated);
  console.log("env-types: wrote worker-configuration.d.ts");
  process.exit(0);
}
let committed = "";
try {
  committed = readFileSync(target, "utf8");
} catch {}
if (committed !== generated) {
  console.error(
    "check:env-types: worker-configuration.d.ts does not match wrangler.toml: run `npm run types:env` and commit it",
  );
  const a = committed.split("\n");
  const b = generated.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      console.error(`  line ${i + 1}: committed ${JSON.stringify(a[i])}, generated ${JSON.stringify(b[i])}`);
  }
  process.exit(1);
}
console.log("check:env-types: worker-configuration.d.ts is current");
