import type { Config } from "../../env";
import {
  BILLING_USER_ID_KEY,
  BILLING_USER_SIGNATURE_KEY,
  billingMetadataSecretOf,
  verifyBillingUser,
} from "./billing-user-signature";

export type BillingSignatureConfig = Pick<Config, "BILLING_METADATA_SECRET" | "BETTER_AUTH_SECRET">;

/**
 * The user id that checkout metadata names, only when it carries this server's signature of that id.
 * Whoever pays can write metadata of their own (a provider's checkout link, its API), so an id without
 * our signature proves nothing and is treated as absent.
 */
export async function signedBillingUserOf(
  config: BillingSignatureConfig,
  metadata: Record<string, unknown> | null | undefined,
): Promise<string | null> {
  const userId = metadata?.[BILLING_USER_ID_KEY];
  if (typeof userId !== "string" || userId.length === 0) return null;
  const secret = billingMetadataSecretOf(config);
  if (!secret) return null;
  const signed = await verifyBillingUser(secret, userId, metadata?.[BILLING_USER_SIGNATURE_KEY]);
  return signed ? userId : null;
}
