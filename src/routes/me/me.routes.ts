import { z } from "@hono/zod-openapi";
import { route } from "../../http/middleware/auth";
import { authenticated, errorResponses, jsonContent } from "../../http/openapi";
import { CUSTOM_INSTRUCTIONS_MAX } from "../../services/account/custom-instructions";

export const userSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    image: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User");

export const customInstructionsSchema = z
  .object({
    content: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("CustomInstructions");

export const customInstructionsResponseSchema = z
  .object({ customInstructions: customInstructionsSchema.nullable() })
  .openapi("CustomInstructionsResponse");

export const customInstructionsInputSchema = z
  .object({
    content: z
      .string()
      .trim()
      .min(1, "Write at least one character, or DELETE to clear them")
      .max(CUSTOM_INSTRUCTIONS_MAX, `At most ${CUSTOM_INSTRUCTIONS_MAX} characters`),
  })
  .strict()
  .openapi("CustomInstructionsInput");

const usageCounterSchema = z.object({
  used: z.number().int(),
  limit: z.number().int().nullable().openapi({ description: "null = unlimited" }),
  resetAt: z.string(),
});

export const meSchema = z
  .object({
    user: userSchema,
    plan: z.object({
      tier: z.enum(["free", "pro"]),
      source: z.enum(["polar", "dodo"]).nullable(),
      until: z.string().nullable(),
    }),
    usage: z.object({ messages: usageCounterSchema, extremeSearches: usageCounterSchema }),
  })
  .openapi("Me");

const exportSchema = z.record(z.string(), z.unknown()).openapi("AccountExport");

export const getMeRoute = route({
  method: "get",
  path: "/api/me",
  tags: ["Account"],
  summary: "The caller, their plan and their usage against the allowances",
  ...authenticated,
  responses: { 200: jsonContent(meSchema, "The caller"), 401: errorResponses[401] },
});

export const deleteAccountInputSchema = z
  .object({
    password: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: "The account's password; required unless the session signed in within 10 minutes" }),
  })
  .strict()
  .openapi("DeleteAccountInput");

export const deleteMeRoute = route({
  method: "delete",
  path: "/api/me",
  tags: ["Account"],
  summary:
    "Delete the account: chats (with messages and streams), sessions, accounts, usage, custom instructions and lookouts. Billing rows are kept, unlinked.",
  description:
    "A session signed in more than 10 minutes ago must send the password (`{ password }`); without it, or with a wrong one, the answer is 403 `REAUTHENTICATION_REQUIRED`. Password attempts are limited (429).",
  ...authenticated,
  request: {
    body: { required: false, content: { "application/json": { schema: deleteAccountInputSchema } } },
  },
  responses: {
    204: { description: "Deleted" },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    429: errorResponses[429],
  },
});

export const exportMeRoute = route({
  method: "get",
  path: "/api/me/export",
  tags: ["Account"],
  summary: "Everything stored about the caller, as JSON (no passwords or tokens).",
  ...authenticated,
  responses: { 200: jsonContent(exportSchema, "The export"), 401: errorResponses[401] },
});

export const getInstructionsRoute = route({
  method: "get",
  path: "/api/me/custom-instructions",
  tags: ["Account"],
  summary: "The caller's custom instructions (null when none are set).",
  ...authenticated,
  responses: { 200: jsonContent(customInstructionsResponseSchema, "Custom instructions"), 401: errorResponses[401] },
});

export const putInstructionsRoute = route({
  method: "put",
  path: "/api/me/custom-instructions",
  tags: ["Account"],
  summary: "Set the caller's custom instructions (added to the concierge's system prompt).",
  ...authenticated,
  request: { body: { required: true, content: { "application/json": { schema: customInstructionsInputSchema } } } },
  responses: {
    200: jsonContent(customInstructionsResponseSchema, "Saved"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const deleteInstructionsRoute = route({
  method: "delete",
  path: "/api/me/custom-instructions",
  tags: ["Account"],
  summary: "Clear the caller's custom instructions.",
  ...authenticated,
  responses: { 204: { description: "Cleared" }, 401: errorResponses[401], 403: errorResponses[403] },
});
