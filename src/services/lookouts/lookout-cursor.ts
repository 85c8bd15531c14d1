import type { LookoutKeyset } from "../../db/queries/lookouts";
import { AppError } from "../../lib/errors";

const VERSION = 1;
const KIND = "lookouts";
const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Opaque to clients: base64url of `[version, "lookouts", created_at with microseconds, id]`. */
export function encodeLookoutCursor(position: LookoutKeyset): string {
  const text = JSON.stringify([VERSION, KIND, position.createdAt, position.id]);
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function invalid(): AppError {
  return new AppError("VALIDATION_ERROR", "The request is not valid", {
    details: [{ path: ["cursor"], code: "invalid_cursor", message: "The cursor is not valid; start again without it" }],
  });
}

/** Anything forged or garbled is a 400 before it reaches SQL. */
export function decodeLookoutCursor(cursor: string): LookoutKeyset {
  if (!BASE64URL.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    decoded = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
        Uint8Array.from(binary, (c) => c.charCodeAt(0)),
      ),
    );
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) throw invalid();
  const [version, kind, createdAt, id] = decoded as unknown[];
  if (version !== VERSION || kind !== KIND) throw invalid();
  if (typeof createdAt !== "string" || !EXACT_TIMESTAMP.test(createdAt)) throw invalid();
  if (Number.isNaN(Date.parse(`${createdAt.slice(0, 23)}Z`))) throw invalid();
  if (typeof id !== "string" || id.length === 0 || id.length > 128) throw invalid();
  return { createdAt, id };
}
