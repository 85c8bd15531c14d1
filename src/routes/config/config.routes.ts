import { z } from "@hono/zod-openapi";
import { route } from "../../http/middleware/auth";
import { jsonContent } from "../../http/openapi";

export const socialProviderSchema = z.enum(["github", "google"]);
export const billingProviderSchema = z.enum(["polar", "dodo"]);

export const publicConfigSchema = z
  .object({
    socialProviders: z.array(socialProviderSchema).openapi({
      description: "Social sign-in providers whose client id and secret are both configured",
    }),
    billingProviders: z.array(billingProviderSchema).openapi({
      description: "Payment providers that can start a checkout (`POST /api/billing/checkout`)",
    }),
    requireEmailVerification: z
      .boolean()
      .openapi({ description: "Whether a new account must verify its email address before it can sign in" }),
  })
  .openapi("PublicConfig");

export const getConfigRoute = route({
  method: "get",
  path: "/api/config",
  tags: ["System"],
  summary: "What the app's page needs before sign-in. Public; carries no secret.",
  responses: { 200: jsonContent(publicConfigSchema, "The configured providers and sign-up rules") },
});
