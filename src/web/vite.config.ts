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

export default defineConfig({
  root: here,
  plugins: [react(), tailwindcss(), apiReferenceAsset()],
  build: {
    outDir: path.resolve(here, "../../dist/web"),
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
  },
});
