import type { Config } from "../../env";
import { signLabelled, verifyLabelled } from "../../lib/labelled-hmac";

/** Metadata keys a checkout sets: the buyer's user id, and the server's signature of it. */
export const BILLING_USER_ID_KEY = "user_id";
export const BILLING_USER_SIGNATURE_KEY = "user_sig";

// The signing key is derived under this label, so it is never the raw auth secret and a signature made
// for billing metadata cannot pass for any other HMAC the auth secret makes.
const KEY_LABEL = "mylo.billing-metadata.v1";

/** The secret behind metadata signatures: BILLING_METADATA_SECRET, else BETTER_AUTH_SECRET; null when neither is set. */
export function billingMetadataSecretOf(config: Pick<Config, "BILLING_METADATA_SECRET" | "BETTER_AUTH_SECRET">) {
  return config.BILLING_METADATA_SECRET ?? config.BETTER_AUTH_SECRET ?? null;
}

/** HMAC-SHA256 of the user id under the derived key, base64url without padding (43 characters). */
export function signBillingUser(secret: string, userId: string): Promise<string> {
  return signLabelled(secret, KEY_LABEL, userId);
}

/** Whether `signature` is this server's signature of `userId`; compared in constant time by Web Crypto. */
export function verifyBillingUser(secret: string, userId: string, signature: unknown): Promise<boolean> {
  return verifyLabelled(secret, KEY_LABEL, userId, signature);
}
