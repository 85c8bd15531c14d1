// The signing key is derived under this label, so it is never the raw auth secret and a token made for
// this link cannot pass for any other HMAC the auth secret makes (sessions, billing metadata).
const KEY_LABEL = "mylo.lookout-emails-off.v1";

const encoder = new TextEncoder();
// Derived once per isolate: a sweep may mail hundreds of owners at once.
const keys = new Map<string, Promise<CryptoKey>>();

function signingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const hmac = { name: "HMAC", hash: "SHA-256" } as const;
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), hmac, false, ["sign"])
      .then((root) => crypto.subtle.sign("HMAC", root, encoder.encode(KEY_LABEL)))
      .then((derived) => crypto.subtle.importKey("raw", derived, hmac, false, ["sign", "verify"]));
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
  }
  return key;
}

// The owner is signed with the lookout, so a link stays tied to the account it was mailed to.
const signedText = (lookoutId: string, userId: string) => encoder.encode(JSON.stringify([lookoutId, userId]));

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

/** The token of a lookout's "turn these emails off" link: HMAC-SHA256, base64url without padding. */
export async function signEmailsOffToken(secret: string, lookoutId: string, userId: string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await signingKey(secret), signedText(lookoutId, userId)));
}

/** Whether `token` is this server's token for the lookout and owner; compared in constant time by Web Crypto. */
export async function verifyEmailsOffToken(
  secret: string,
  lookoutId: string,
  userId: string,
  token: unknown,
): Promise<boolean> {
  if (typeof token !== "string") return false;
  const bytes = fromBase64Url(token);
  if (!bytes) return false;
  return crypto.subtle.verify("HMAC", await signingKey(secret), bytes, signedText(lookoutId, userId));
}
