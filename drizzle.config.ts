import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
  dbCredentials: {
    // Only `migrate`/`push`/`studio` connect; `generate` works without it.
    url: process.env.DATABASE_URL ?? "",
  },
});
