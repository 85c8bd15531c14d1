/** A path to return to after signing in: only a path on this site, never another origin. */
export function safeNext(value: string | null | undefined, fallback = "/"): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/^\/(sign-in|sign-up)(\/|\?|$)/.test(value)) return fallback;
  return value;
}

/** The sign-in page's address that comes back to `here` afterwards. */
export function signInPath(here: string): string {
  const next = safeNext(here, "");
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
}
