import type { Queryable } from "../../db/client";
import { findLookoutOwnerId, setLookoutEmails } from "../../db/queries/lookout-notifications";
import type { Config } from "../../env";
import { verifyEmailsOffToken } from "./emails-off-token";

/**
 * The off link of a lookout email: turns that lookout's emails off when the token is the one mailed to
 * its owner (again and again, with the same result). False for a token that does not verify and for a
 * lookout that does not exist, alike, so the link tells a stranger nothing about which lookouts exist.
 */
export async function turnOffLookoutEmails({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Pick<Config, "BETTER_AUTH_SECRET"> };
  input: { id: string; token: string; write: boolean };
}): Promise<boolean> {
  const secret = ctx.config.BETTER_AUTH_SECRET;
  if (!secret) return false;
  const ownerId = await findLookoutOwnerId(ctx.db, input.id);
  if (!ownerId) return false;
  if (!(await verifyEmailsOffToken(secret, input.id, ownerId, input.token))) return false;
  if (!input.write) return true;
  return setLookoutEmails(ctx.db, { lookoutId: input.id, enabled: false });
}
