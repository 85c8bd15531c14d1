import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the Worker's `/docs` page loads the API reference's script from (see src/app.ts). */
export const apiReferenceScript = "vendor/scalar-api-reference.js";

/**
 * The API reference's standalone script, copied from the pinned npm package into the built page, so
 * `/docs` loads nothing from a CDN.
 */
function apiReferenceAsset(): Plugin {
  return {
    name: "mylo-api-reference-asset",
    apply: "build",
    generateBundle() {
      const file = path.resolve(here, "../../node_modules/@scalar/api-reference/dist/browser/standalone.js");
      this.emitFile({ type: "asset", fileName: apiReferenceScript, source: readFileSync(file) });
    },
  };
}

/**
 * Streamdown's raw-HTML plugin (rehype-raw, with parse5) replaced by a module that refuses to run: the
 * page never renders raw HTML, and it would cost the first chat view about 40 KiB gzip.
 * `MYLO_WEB_RAW_HTML=library` builds with the library's own module instead.
 */
export const webAliases: Record<string, string> =
  process.env.MYLO_WEB_RAW_HTML === "library" ? {} : { "rehype-raw": path.resolve(here, "lib/no-raw-html.ts") };

export default defineConfig({
  root: here,
  resolve: { alias: webAliases },
  plugins: [react(), tailwindcss(), apiReferenceAsset()],
  build: {
    outDir: path.resolve(here, "../../dist/web"),
    emptyOutDir: true,
    // .vite/manifest.json: which chunks each entry and lazy route loads (read by scripts/check-web-size.mjs).
    manifest: true,
    sourcemap: false,
    target: "es2022",
  },
});
