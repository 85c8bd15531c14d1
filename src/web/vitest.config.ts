import { defineConfig } from "vitest/config";
import { webAliases } from "./vite.config";

// Unit tests of the page's own logic (formatting, error mapping, resume), in Node: no browser needed.
export default defineConfig({
  resolve: { alias: webAliases },
  test: {
    root: import.meta.dirname,
    include: ["**/*.test.ts", "**/*.test.tsx"],
    environment: "node",
  },
});
