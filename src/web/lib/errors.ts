import { ApiError } from "./api-error";
import { browserTimeZone, formatInstant } from "./format";

interface UsageDetails {
  limit?: number;
  used?: number;
  resetAt?: string;
}

/**
 * Every error envelope as a sentence a traveller can act on. The server's message is kept where it is
 * already written for people (validation, limits); codes get the app's own words.
 */
export function describeError(error: unknown, timeZone = browserTimeZone()): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : "Something went wrong. Please try again.";
  }
  switch (error.code) {
    case "OFFLINE":
      return "You appear to be offline. Mylo will reconnect when the connection is back.";
    case "USAGE_LIMIT_EXCEEDED": {
      const details = (error.details ?? {}) as UsageDetails;
      const when = details.resetAt ? ` It resets ${formatInstant(details.resetAt, timeZone)}.` : "";
      const count = typeof details.limit === "number" ? ` (${details.used ?? details.limit} of ${details.limit})` : "";
      return `${error.message || "You have reached your allowance"}${count}.${when} Pro raises the limits.`;
    }
    case "RATE_LIMITED":
      return "Too many attempts. Wait a minute, then try again.";
    case "CONFLICT":
      return error.message || "A reply is already being written in this chat. Wait for it to finish, or stop it.";
    case "PLAN_REQUIRED":
      return `${error.message || "This needs Mylo Pro"}. Pro adds the most capable models, higher allowances and lookouts (scheduled research).`;
    case "LIMIT_REACHED":
      return error.message || "You have reached a limit.";
    case "NOT_FOUND":
      // The server's own sentence names what is missing ("Chat not found"); a bare route miss does not.
      return error.message && !error.message.startsWith("No route")
        ? `${error.message}.`
        : "Not found. It may have been deleted, or it is private.";
    case "UNAUTHORIZED":
      return "Your session has ended. Please sign in again.";
    case "REAUTHENTICATION_REQUIRED":
      return error.message ? `${error.message}.` : "Confirm your password to continue.";
    case "FORBIDDEN":
      return error.message || "You are not allowed to do that.";
    case "VALIDATION_ERROR":
    case "BAD_REQUEST":
      return error.message || "Please check what you entered.";
    case "PAYLOAD_TOO_LARGE":
      return "That is too large to send.";
    case "SERVICE_UNAVAILABLE":
      return "Mylo is briefly unavailable. Please try again in a moment.";
    default:
      return error.status >= 500
        ? `Something went wrong on our side${error.requestId ? ` (reference ${error.requestId})` : ""}. Please try again.`
        : error.message || "Something went wrong. Please try again.";
  }
}
