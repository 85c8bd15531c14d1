import journal from "../../../migrations/meta/_journal.json";
import type { Queryable } from "../../db/client";
import { latestAppliedMigration, pingDatabase } from "../../db/queries/system";

export interface Readiness {
  ready: boolean;
  database: "ok" | "unreachable";
  migrations: { expected: number; applied: number; upToDate: boolean };
}

const expectedEntries = journal.entries;
const newestExpected = expectedEntries.at(-1)?.when ?? 0;
// Migrations never un-apply, so once this isolate has seen them current it only pings the database.
let migrationsSeenCurrent = false;

export async function checkReadiness({ ctx }: { ctx: { db: Queryable } }): Promise<Readiness> {
  const expected = expectedEntries.length;
  try {
    if (migrationsSeenCurrent) {
      await pingDatabase(ctx.db);
      return { ready: true, database: "ok", migrations: { expected, applied: expected, upToDate: true } };
    }
    const { applied, latestCreatedAt } = await latestAppliedMigration(ctx.db);
    const upToDate = latestCreatedAt !== null && latestCreatedAt >= newestExpected;
    migrationsSeenCurrent = upToDate;
    return { ready: upToDate, database: "ok", migrations: { expected, applied, upToDate } };
  } catch {
    return { ready: false, database: "unreachable", migrations: { expected, applied: 0, upToDate: false } };
  }
}

/** For tests that change the database under a running isolate. */
export function forgetReadiness(): void {
  migrationsSeenCurrent = false;
}
