/**
 * HMAC-SHA256 signatures under a key derived from a secret with a label of its own, so a signature made
 * for one purpose (billing metadata, an email link) can never pass for another the same secret makes.
 * Signatures are base64url without padding; verification is constant-time (Web Crypto).
 */
const encoder = new TextEncoder();
const hmac = { name: "HMAC", hash: "SHA-256" } as const;
// Derived once per isolate and label: a sweep may sign links for hundreds of owners at once.
const keys = new Map<string, Promise<CryptoKey>>();

function derivedKey(secret: string, label: string): Promise<CryptoKey> {
  const cacheKey = `${label}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), hmac, false, ["sign"])
      .then((root) => crypto.subtle.sign("HMAC", root, encoder.encode(label)))
      .then((derived) => crypto.subtle.importKey("raw", derived, hmac, false, ["sign", "verify"]));
    keys.set(cacheKey, key);
    key.catch(() => keys.delete(cacheKey));
  }
  return key;
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function signLabelled(secret: string, label: string, text: string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await derivedKey(secret, label), encoder.encode(text)));
}

export async function verifyLabelled(secret: string, label: string, text: string, signature: unknown) {
  if (typeof signature !== "string") return false;
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify("HMAC", await derivedKey(secret, label), bytes, encoder.encode(text));
}
