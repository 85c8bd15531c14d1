import type { z } from "@hono/zod-openapi";
import type { Config } from "../../env";
import type { AppRouteHandler } from "../../http/openapi";
import type { billingProviderSchema, getConfigRoute, publicConfigSchema, socialProviderSchema } from "./config.routes";

export type PublicConfig = z.infer<typeof publicConfigSchema>;

/**
 * The public part of the configuration: which providers are on, never their credentials. A social
 * provider is on with both its client id and secret (as better-auth is configured); a billing provider
 * with its API token or key.
 */
export function publicConfigOf(config: Config): PublicConfig {
  const socialProviders: z.infer<typeof socialProviderSchema>[] = [];
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) socialProviders.push("github");
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) socialProviders.push("google");
  const billingProviders: z.infer<typeof billingProviderSchema>[] = [];
  if (config.POLAR_ACCESS_TOKEN) billingProviders.push("polar");
  if (config.DODO_PAYMENTS_API_KEY) billingProviders.push("dodo");
  return { socialProviders, billingProviders, requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION };
}

export const getConfigHandler: AppRouteHandler<typeof getConfigRoute> = (c) =>
  c.json(publicConfigOf(c.get("config")), 200);
