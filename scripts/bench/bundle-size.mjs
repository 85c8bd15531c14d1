// The deployable bundle: `wrangler deploy --dry-run` (offline) writes what would be uploaded; its JavaScript
// is gzipped here and compared with the 1 MiB gzip target. The esbuild metafile names the biggest inputs
// per package, so a failing size says what to look at.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "../lib/start-app.mjs";

const TARGET_GZIP_BYTES = 1024 * 1024;
const TOP = 6;

function dryRun(outdir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, "node_modules", ".bin", "wrangler"),
      ["deploy", "--dry-run", "--outdir", outdir, "--metafile", path.join(outdir, "bundle-meta.json")],
      {
        cwd: root,
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          // The pinned Node 22 in node_modules/.bin, which wrangler needs.
          PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`wrangler deploy --dry-run exited ${code}\n${output}`)),
    );
  });
}

/** node_modules/<pkg> (or @scope/pkg) for dependencies, the first folder for our own sources. */
function owner(input) {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return parts.slice(0, 2).join("/");
  const name = parts[at + 1] ?? input;
  return name.startsWith("@") ? `${name}/${parts[at + 2]}` : name;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

export const bundleSizeMeasurement = {
  name: "bundle size (wrangler deploy --dry-run)",
  async measure() {
    const outdir = await mkdtemp(path.join(tmpdir(), "mylo-bundle-"));
    try {
      await dryRun(outdir);
      const files = (await readdir(outdir)).filter((file) => /\.(m?js|wasm)$/.test(file));
      let raw = 0;
      let gzip = 0;
      for (const file of files) {
        const bytes = await readFile(path.join(outdir, file));
        raw += bytes.byteLength;
        gzip += gzipSync(bytes, { level: 9 }).byteLength;
      }
      const ok = gzip > 0 && gzip < TARGET_GZIP_BYTES;
      const lines = [
        "Bundle (wrangler deploy --dry-run, what would be uploaded)",
        `  ${files.join(", ")}: ${kib(raw)} raw, ${kib(gzip)} gzip  ${ok ? "PASS" : "FAIL"} (target < 1 MiB gzip)`,
      ];
      try {
        const meta = JSON.parse(await readFile(path.join(outdir, "bundle-meta.json"), "utf8"));
        const byOwner = new Map();
        for (const output of Object.values(meta.outputs ?? {})) {
          for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
            byOwner.set(owner(input), (byOwner.get(owner(input)) ?? 0) + bytesInOutput);
          }
        }
        const top = [...byOwner.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
        lines.push(
          `  largest inputs (raw, before gzip): ${top.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(", ")}`,
        );
      } catch {
        lines.push("  (no esbuild metafile: per-package sizes unavailable)");
      }
      return { lines, failed: !ok };
    } catch (error) {
      return { lines: [`Bundle size: could not build: ${error.message}`], failed: true };
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  },
};
