// `npm run db:migrate`: applies the committed migrations to DATABASE_URL.
import { applyMigrations } from "./lib/migrate.mjs";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:pass@host:5432/db npm run db:migrate");
  process.exit(1);
}
await applyMigrations(url);
console.log("Migrations applied.");
