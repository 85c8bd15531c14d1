import { type Queryable, withTransaction } from "../../db/client";
import { deleteUserAndData } from "../../db/queries/account";
import { consumeRateLimit, type RateRule } from "../../db/queries/rate-limit";
import { AppError, notFound } from "../../lib/errors";

/**
 * A session signed in this recently may delete its account as it is; an older one must confirm the
 * password, so a stolen or forgotten session cannot erase an account on its own.
 */
export const FRESH_SIGN_IN_SECONDS = 10 * 60;

/** Password guesses through account deletion, per account; the same window as sign-in's per-account rule. */
export const DELETION_PASSWORD_RULE: RateRule = { window: 300, max: 5 };

export const REAUTHENTICATE_MESSAGE = "Confirm your password to delete your account";
export const WRONG_PASSWORD_MESSAGE = "The password is not correct";

export interface DeleteAccountContext {
  db: Queryable;
  verifyPassword(input: { userId: string; password: string }): Promise<boolean>;
  now?: Date;
}

/**
 * Deletes the user and their data in one transaction; billing rows stay, unlinked. Needs a session
 * signed in within FRESH_SIGN_IN_SECONDS or the password; a password that is given must be right.
 */
export async function deleteAccount({
  ctx,
  input,
}: {
  ctx: DeleteAccountContext;
  input: { userId: string; signedInAt: Date; password?: string };
}) {
  const now = ctx.now ?? new Date();
  if (input.password !== undefined) {
    const attempt = await consumeRateLimit(
      ctx.db,
      `account-deletion|${input.userId}`,
      DELETION_PASSWORD_RULE,
      now.getTime(),
    );
    if (!attempt.allowed) {
      throw new AppError("RATE_LIMITED", "Too many password attempts. Try again later.", {
        headers: { "Retry-After": String(attempt.retryAfter) },
      });
    }
    const confirmed = await ctx.verifyPassword({ userId: input.userId, password: input.password });
    if (!confirmed) throw new AppError("REAUTHENTICATION_REQUIRED", WRONG_PASSWORD_MESSAGE);
  } else if (now.getTime() - input.signedInAt.getTime() >= FRESH_SIGN_IN_SECONDS * 1000) {
    throw new AppError("REAUTHENTICATION_REQUIRED", REAUTHENTICATE_MESSAGE);
  }
  const deleted = await withTransaction(ctx.db, (tx) => deleteUserAndData(tx, input.userId));
  if (!deleted) throw notFound("Account");
}
