import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The places where the app bypasses a library's public path for speed (docs/architecture.md lists them
 * with their measured gain). Each can be switched off, so that its gain can be measured against the
 * library's own path in one run and its parity tested both ways.
 */
export const SHORTCUTS = ["bearer", "session-lookup", "driver", "inline-read", "socket"] as const;
export type Shortcut = (typeof SHORTCUTS)[number];

/** The request header that switches shortcuts off for one request, honoured outside production only. */
export const SHORTCUTS_OFF_HEADER = "x-mylo-shortcuts-off";

const offInScope = new AsyncLocalStorage<ReadonlySet<Shortcut>>();

/** Whether `name` is on for the current request (every shortcut is, unless switched off). */
export function shortcutOn(name: Shortcut): boolean {
  return !offInScope.getStore()?.has(name);
}

/**
 * The shortcuts named in `value` (comma-separated; `all` for every one). An unknown name is refused, so a
 * misspelt switch cannot leave a shortcut on unnoticed.
 */
export function parseShortcutsOff(value: string | undefined): ReadonlySet<Shortcut> {
  const names = (value ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes("all")) return new Set(SHORTCUTS);
  for (const name of names) {
    if (!(SHORTCUTS as readonly string[]).includes(name)) {
      throw new Error(`Unknown shortcut "${name}": expected a comma-separated list of ${SHORTCUTS.join(", ")} or all`);
    }
  }
  return new Set(names as Shortcut[]);
}

/** Runs `fn` with the shortcuts in `off` switched off (and every other one on). */
export function withShortcutsOff<T>(off: ReadonlySet<Shortcut>, fn: () => T): T {
  return offInScope.run(off, fn);
}
