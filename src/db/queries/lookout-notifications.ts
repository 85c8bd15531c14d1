import { type AnyColumn, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { lookout, lookoutNotification, user } from "../schema";

/** Whether the lookout's run emails are on: its setting, or on when it has none. */
export const emailsEnabledOf = (lookoutId: AnyColumn | SQL) =>
  sql<boolean>`coalesce((select ${lookoutNotification.emailsEnabled} from ${lookoutNotification} where ${lookoutNotification.lookoutId} = ${lookoutId}), true)`;

/**
 * Turns the lookout's run emails on or off. Written through a read of the lookout, so a lookout deleted
 * meanwhile gets no row (instead of a foreign key error). Returns whether the lookout exists.
 */
export async function setLookoutEmails(db: Queryable, params: { lookoutId: string; enabled: boolean }) {
  const rows = rowsOf<{ lookout_id: string }>(
    await db.execute(sql`
      insert into ${lookoutNotification} (lookout_id, emails_enabled, updated_at)
      select ${lookout.id}, ${params.enabled}::boolean, now() from ${lookout} where ${lookout.id} = ${params.lookoutId}
      on conflict (lookout_id) do update
        set emails_enabled = excluded.emails_enabled, updated_at = excluded.updated_at
      returning lookout_id`),
  );
  return rows.length > 0;
}

/** The owner of a lookout, without knowing who asks (the off link in an email carries no session). */
export async function findLookoutOwnerId(db: Queryable, lookoutId: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: lookout.userId }).from(lookout).where(eq(lookout.id, lookoutId)).limit(1);
  return row?.userId;
}

export interface RunMailTarget {
  lookoutId: string;
  userId: string;
  title: string;
  email: string;
  emailVerified: boolean;
  emailsEnabled: boolean;
}

/** What mailing the owners of these lookouts needs; deleted lookouts are missing from the answer. */
export async function findRunMailTargets(db: Queryable, lookoutIds: string[]): Promise<RunMailTarget[]> {
  if (lookoutIds.length === 0) return [];
  return db
    .select({
      lookoutId: lookout.id,
      userId: lookout.userId,
      title: lookout.title,
      email: user.email,
      emailVerified: user.emailVerified,
      emailsEnabled: emailsEnabledOf(lookout.id),
    })
    .from(lookout)
    .innerJoin(user, eq(user.id, lookout.userId))
    .where(inArray(lookout.id, lookoutIds));
}
