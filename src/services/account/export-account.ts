import type { Queryable } from "../../db/client";
import { collectUserData } from "../../db/queries/account";

/** A JSON export of everything stored about the user, read in one snapshot. */
export async function exportAccount({ ctx, input }: { ctx: { db: Queryable }; input: { userId: string } }) {
  const data = await ctx.db.transaction((tx) => collectUserData(tx, input.userId), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
  return { exportedAt: new Date().toISOString(), ...data };
}
