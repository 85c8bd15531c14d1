import type { MiddlewareHandler } from "hono";
import { isLocal } from "../../env";
import { AppError } from "../../lib/errors";
import { parseShortcutsOff, SHORTCUTS_OFF_HEADER, type Shortcut, withShortcutsOff } from "../../lib/shortcuts";
import type { AppEnv } from "../types";

const parsed = new Map<string, ReadonlySet<Shortcut>>();

function offFor(value: string): ReadonlySet<Shortcut> {
  let off = parsed.get(value);
  if (!off) {
    off = parseShortcutsOff(value);
    parsed.set(value, off);
  }
  return off;
}

/**
 * The one place the shortcut switch is read: the `MYLO_SHORTCUTS_OFF` variable for every request and,
 * outside production, the `x-mylo-shortcuts-off` header for one request (the benchmark measures each
 * shortcut on and off in the same run with it).
 */
export function shortcutSwitch(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = isLocal(c.get("config")) ? c.req.header(SHORTCUTS_OFF_HEADER) : undefined;
    const value = header ?? (c.env as { MYLO_SHORTCUTS_OFF?: string }).MYLO_SHORTCUTS_OFF;
    if (!value) return next();
    let off: ReadonlySet<Shortcut>;
    try {
      off = offFor(value);
    } catch (error) {
      throw new AppError("BAD_REQUEST", (error as Error).message);
    }
    await withShortcutsOff(off, next);
  };
}
