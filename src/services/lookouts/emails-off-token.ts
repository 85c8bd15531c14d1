import { signLabelled, verifyLabelled } from "../../lib/labelled-hmac";

// The signing key is derived under this label, so it is never the raw auth secret and a token made for
// this link cannot pass for any other HMAC the auth secret makes (sessions, billing metadata).
const KEY_LABEL = "mylo.lookout-emails-off.v1";

// The owner is signed with the lookout, so a link stays tied to the account it was mailed to.
const signedText = (lookoutId: string, userId: string) => JSON.stringify([lookoutId, userId]);

/** The token of a lookout's "turn these emails off" link: HMAC-SHA256, base64url without padding. */
export function signEmailsOffToken(secret: string, lookoutId: string, userId: string): Promise<string> {
  return signLabelled(secret, KEY_LABEL, signedText(lookoutId, userId));
}

/** Whether `token` is this server's token for the lookout and owner; compared in constant time by Web Crypto. */
export function verifyEmailsOffToken(secret: string, lookoutId: string, userId: string, token: unknown) {
  return verifyLabelled(secret, KEY_LABEL, signedText(lookoutId, userId), token);
}
