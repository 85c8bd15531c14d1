import { type Queryable, withTransaction } from "../../db/client";
import { deleteUserAndData } from "../../db/queries/account";
import { notFound } from "../../lib/errors";

/** Deletes the user and their data in one transaction; billing rows stay, unlinked. */
export async function deleteAccount({ ctx, input }: { ctx: { db: Queryable }; input: { userId: string } }) {
  const deleted = await withTransaction(ctx.db, (tx) => deleteUserAndData(tx, input.userId));
  if (!deleted) throw notFound("Account");
}
