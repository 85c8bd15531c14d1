import type { Queryable } from "../../db/client";
import { findRunMailTargets, type RunMailTarget } from "../../db/queries/lookout-notifications";
import type { LookoutRunStatus } from "../../db/schema";
import type { Config } from "../../env";
import type { Logger } from "../../lib/log";
import type { Mailer } from "../mail/mailer";
import { signEmailsOffToken } from "./emails-off-token";
import { buildRunMail } from "./run-mail";

export interface RunMailContext {
  db: Queryable;
  mailer: Mailer;
  config: Pick<Config, "BETTER_AUTH_URL" | "BETTER_AUTH_SECRET" | "REQUIRE_EMAIL_VERIFICATION">;
  log: Logger;
}

/** A run that has been recorded, as its mail needs it. */
export interface EndedRun {
  lookoutId: string;
  status: LookoutRunStatus;
  chatId?: string | null;
  report?: string;
  error?: string;
}

// Enough to keep a large sweep moving without opening hundreds of requests to the provider at once.
const SEND_CONCURRENCY = 8;

/** Where the app is served; unset only locally, where it runs on auth's default. */
export const appBaseUrl = (config: Pick<Config, "BETTER_AUTH_URL">) =>
  (config.BETTER_AUTH_URL ?? "http://localhost:8787").replace(/\/+$/, "");

async function mailOne(ctx: RunMailContext, run: EndedRun, target: RunMailTarget): Promise<void> {
  const base = appBaseUrl(ctx.config);
  const secret = ctx.config.BETTER_AUTH_SECRET;
  const offUrl = secret
    ? `${base}/api/lookouts/${encodeURIComponent(run.lookoutId)}/emails/off?token=${await signEmailsOffToken(secret, run.lookoutId, target.userId)}`
    : undefined;
  await ctx.mailer.send(
    buildRunMail({
      to: target.email,
      title: target.title,
      status: run.status,
      error: run.error,
      report: run.report,
      chatUrl: run.chatId ? `${base}/chat/${encodeURIComponent(run.chatId)}` : undefined,
      offUrl,
    }),
  );
}

/**
 * Mails the owners of runs that have just been recorded. Never throws: a run's outcome is already
 * stored, and a mail that fails must neither fail nor repeat it, so every failure is only logged.
 * Owners who turned a lookout's emails off, and unverified addresses where verification is required
 * (they may belong to someone else), get nothing.
 */
export async function mailRunsEnded(ctx: RunMailContext, runs: EndedRun[]): Promise<void> {
  if (runs.length === 0) return;
  let targets: Map<string, RunMailTarget>;
  try {
    const rows = await findRunMailTargets(ctx.db, [...new Set(runs.map((run) => run.lookoutId))]);
    targets = new Map(rows.map((row) => [row.lookoutId, row]));
  } catch (error) {
    ctx.log.error("lookout-run.mail-failed", { lookoutIds: runs.map((run) => run.lookoutId), error });
    return;
  }
  const pending = runs.filter((run) => {
    const target = targets.get(run.lookoutId);
    if (!target?.emailsEnabled) return false;
    return target.emailVerified || !ctx.config.REQUIRE_EMAIL_VERIFICATION;
  });
  for (let start = 0; start < pending.length; start += SEND_CONCURRENCY) {
    await Promise.all(
      pending.slice(start, start + SEND_CONCURRENCY).map(async (run) => {
        try {
          await mailOne(ctx, run, targets.get(run.lookoutId) as RunMailTarget);
        } catch (error) {
          ctx.log.error("lookout-run.mail-failed", { lookoutId: run.lookoutId, status: run.status, error });
        }
      }),
    );
  }
}
