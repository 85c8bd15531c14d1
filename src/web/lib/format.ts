/** The browser's IANA time zone (the default for lookouts and for showing reset times). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** "Tue, 8 Dec, 01:00" in the given time zone, with the zone's short name: when an allowance comes back. */
export function formatInstant(iso: string, timeZone = browserTimeZone(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}

/** "8 Dec 2026" */
export function formatDay(iso: string, timeZone = browserTimeZone(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone }).format(date);
}

/** "in 3 hours", "in 2 days": how far away an instant is, for a reset time next to its date. */
export function formatRelative(iso: string, now = new Date(), locale?: string): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

/** "3 of 20 used" or "3 used (no limit)". */
export function formatUsage(used: number, limit: number | null): string {
  return limit === null ? `${used} used (no limit)` : `${used} of ${limit} used`;
}
