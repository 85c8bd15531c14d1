import { defineConfig } from "vitest/config";

// Unit tests of the page's own logic (formatting, error mapping, resume), in Node: no browser needed.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
  },
});
