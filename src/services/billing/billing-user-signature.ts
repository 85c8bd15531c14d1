import type { Config } from "../../env";

/** Metadata keys a checkout sets: the buyer's user id, and the server's signature of it. */
export const BILLING_USER_ID_KEY = "user_id";
export const BILLING_USER_SIGNATURE_KEY = "user_sig";

// The signing key is derived under this label, so it is never the raw auth secret and a signature made
// for billing metadata cannot pass for any other HMAC the auth secret makes.
const KEY_LABEL = "mylo.billing-metadata.v1";

const encoder = new TextEncoder();

/** The secret behind metadata signatures: BILLING_METADATA_SECRET, else BETTER_AUTH_SECRET; null when neither is set. */
export function billingMetadataSecretOf(config: Pick<Config, "BILLING_METADATA_SECRET" | "BETTER_AUTH_SECRET">) {
  return config.BILLING_METADATA_SECRET ?? config.BETTER_AUTH_SECRET ?? null;
}

async function signingKey(secret: string): Promise<CryptoKey> {
  const hmac = { name: "HMAC", hash: "SHA-256" } as const;
  const root = await crypto.subtle.importKey("raw", encoder.encode(secret), hmac, false, ["sign"]);
  const derived = await crypto.subtle.sign("HMAC", root, encoder.encode(KEY_LABEL));
  return crypto.subtle.importKey("raw", derived, hmac, false, ["sign", "verify"]);
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

/** HMAC-SHA256 of the user id under the derived key, base64url without padding (43 characters). */
export async function signBillingUser(secret: string, userId: string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await signingKey(secret), encoder.encode(userId)));
}

/** Whether `signature` is this server's signature of `userId`; compared in constant time by Web Crypto. */
export async function verifyBillingUser(secret: string, userId: string, signature: unknown): Promise<boolean> {
  if (typeof signature !== "string") return false;
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify("HMAC", await signingKey(secret), bytes, encoder.encode(userId));
}
