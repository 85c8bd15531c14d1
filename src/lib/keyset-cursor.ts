import { AppError } from "./errors";

/** Which list a cursor belongs to, so a cursor from one list is refused by another. */
export type CursorKind = "chats" | "messages" | "lookouts";

/** A keyset position: `created_at` rendered exactly (microseconds, UTC) and the id that breaks ties. */
export interface KeysetPosition {
  createdAt: string;
  id: string;
}

const VERSION = 1;
const EXACT_TIMESTAMP = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_ID_LENGTH = 256;

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** Opaque to clients: base64url of `[version, kind, created_at with microseconds, id]`. */
export function encodeCursor(kind: CursorKind, position: KeysetPosition): string {
  return toBase64Url(JSON.stringify([VERSION, kind, position.createdAt, position.id]));
}

function invalidCursor(): AppError {
  return new AppError("VALIDATION_ERROR", "The request is not valid", {
    details: [{ path: ["cursor"], code: "invalid_cursor", message: "The cursor is not valid; start again without it" }],
  });
}

/** A real calendar instant Postgres accepts (year 1 or later); checked here so bad input never reaches SQL. */
function isExactTimestamp(value: string): boolean {
  const match = EXACT_TIMESTAMP.exec(value);
  if (!match || Number(match[1]) < 1) return false;
  const milliseconds = `${value.slice(0, 23)}Z`;
  const parsed = Date.parse(milliseconds);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString() === milliseconds;
}

/** Decodes and validates a cursor of the given kind; anything forged or garbled is a 400. */
export function decodeCursor(kind: CursorKind, cursor: string): KeysetPosition {
  if (!BASE64URL.test(cursor)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) throw invalidCursor();
  const [version, decodedKind, createdAt, id] = decoded as unknown[];
  if (version !== VERSION || decodedKind !== kind) throw invalidCursor();
  if (typeof createdAt !== "string" || !isExactTimestamp(createdAt)) throw invalidCursor();
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) throw invalidCursor();
  return { createdAt, id };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says that another page exists. */
export function toPage<Row extends { position: string; id: string }, T>(
  kind: CursorKind,
  rows: Row[],
  limit: number,
  view: (row: Row) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(kind, { createdAt: last.position, id: last.id }) : null;
  return { items: pageRows.map(view), nextCursor };
}
