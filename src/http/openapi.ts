import { OpenAPIHono, type RouteConfig, type RouteHandler, z } from "@hono/zod-openapi";
import { AppError } from "../lib/errors";
import { errorEnvelopeSchema } from "./error-envelope";
import type { AppEnv } from "./types";

/** Every router validates with the same hook, so a validation failure is always the one envelope. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("VALIDATION_ERROR", "The request is not valid", {
          details: result.error.issues.map((issue) => ({
            path: issue.path.map(String),
            code: issue.code,
            message: issue.message,
          })),
        });
      }
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** A handler typed by its route, so path, query and body types survive the routes/handlers split. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: errorEnvelopeSchema } },
});

/** Shared error responses for route contracts. */
export const errorResponses = {
  400: errorContent("The request is not valid"),
  401: errorContent("Not signed in"),
  403: errorContent("Not allowed"),
  404: errorContent("Not found"),
  409: errorContent("Conflicts with the current state"),
  413: errorContent("The body is too large"),
  429: errorContent("Too many requests or over the allowance"),
  503: errorContent("Temporarily unavailable"),
} as const;

export const jsonContent = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Spread into a route contract that needs a signed-in caller (cookie session or bearer token). */
export const authenticated = {
  security: [{ cookieAuth: [] }, { bearerAuth: [] }] as Array<Record<string, string[]>>,
};

export function registerSecuritySchemes(router: AppRouter): void {
  router.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The signed token from the `set-auth-token` header of a sign-in response.",
  });
  router.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "better-auth.session_token",
    description: "The session cookie (prefixed `__Secure-` in production). Mutations must send a trusted Origin.",
  });
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * `limit` (1–100, default 20) and the opaque `cursor` of every keyset-paginated list; a bad value is 400.
 * Unknown query parameters (such as `userId`) are dropped: a list is always the caller's own.
 */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ param: { name: "limit", in: "query" }, example: DEFAULT_PAGE_SIZE }),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "The `nextCursor` of the previous page" }),
});
