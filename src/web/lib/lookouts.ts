import { api } from "./api";
import { ApiError } from "./api-error";
import { describeError } from "./errors";
import { describeIssues, type ValidationIssue } from "./schedule";
import type { Frequency, Lookout, LookoutInput, LookoutPatch, Page } from "./types";

export type { Frequency, Lookout, LookoutInput, LookoutPatch, LookoutSchedule, LookoutStatus } from "./types";

export type LookoutRunStatus = "success" | "error" | "timeout";

/** One entry of the run history, newest first. */
export interface LookoutRun {
  runAt: string;
  chatId: string | null;
  status: LookoutRunStatus;
  error?: string;
  /** Milliseconds. */
  duration: number;
  tokensUsed: number;
  searchesPerformed: number;
}

/** What a 403 LIMIT_REACHED carries in `details`. */
export interface LookoutLimitDetails {
  limit: "lookouts" | "activeDaily";
  max: number;
  count: number;
}

export const listLookouts = (cursor?: string | null) => api.lookouts<Lookout>(cursor);
export const getLookout = (id: string) => api.lookout<Lookout>(id);
export const createLookout = (input: LookoutInput) => api.createLookout<Lookout>(input);
export const updateLookout = (id: string, patch: LookoutPatch) => api.updateLookout<Lookout>(id, patch);
export const deleteLookout = (id: string) => api.deleteLookout(id);
export const setLookoutEmails = (id: string, emailsEnabled: boolean) =>
  api.updateLookout<Lookout>(id, { emailsEnabled });
export const pauseLookout = (id: string) => api.lookoutAction<Lookout>(id, "pause");
export const resumeLookout = (id: string) => api.lookoutAction<Lookout>(id, "resume");
export const runLookout = (id: string) => api.lookoutAction<{ lookout: Lookout; runId: string }>(id, "run");
export const listLookoutRuns = (id: string) => api.lookoutRuns<Page<LookoutRun>>(id);

export const isPlanRequired = (error: unknown) => error instanceof ApiError && error.code === "PLAN_REQUIRED";

export function limitDetails(error: unknown): LookoutLimitDetails | null {
  if (!(error instanceof ApiError) || error.code !== "LIMIT_REACHED") return null;
  const details = error.details as Partial<LookoutLimitDetails> | undefined;
  if (!details || typeof details.max !== "number") return null;
  if (details.limit !== "lookouts" && details.limit !== "activeDaily") return null;
  return { limit: details.limit, max: details.max, count: typeof details.count === "number" ? details.count : 0 };
}

/**
 * describeError's sentence, plus what the traveller can do about it: the fields a validation error names
 * (in the form's own labels), and the way out of a limit.
 */
export function lookoutErrorMessage(error: unknown, frequency?: Frequency): string {
  const base = describeError(error);
  if (!(error instanceof ApiError)) return base;
  if ((error.code === "VALIDATION_ERROR" || error.code === "BAD_REQUEST") && Array.isArray(error.details)) {
    const issues = describeIssues(error.details as ValidationIssue[], frequency);
    return issues ? `${base.replace(/\.$/, "")}: ${issues}` : base;
  }
  const limit = limitDetails(error);
  if (limit) {
    const way =
      limit.limit === "lookouts"
        ? "Delete a lookout to make room for a new one."
        : "Pause one of your daily lookouts, or choose another frequency.";
    return `${base.replace(/\.$/, "")}. ${way}`;
  }
  return base;
}
