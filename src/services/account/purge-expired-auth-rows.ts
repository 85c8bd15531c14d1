import type { Queryable } from "../../db/client";
import { deleteExpiredSessions, deleteExpiredVerifications } from "../../db/queries/account";

/** Deletes sessions and verification tokens past their expiry. Idempotent and safe to run concurrently. */
export async function purgeExpiredAuthRows({ ctx }: { ctx: { db: Queryable; now?: Date } }) {
  const now = ctx.now ?? new Date();
  const sessions = await deleteExpiredSessions(ctx.db, now);
  const verifications = await deleteExpiredVerifications(ctx.db, now);
  return { sessions, verifications };
}
