import { z } from "@hono/zod-openapi";
import { route } from "../../http/middleware/auth";
import { errorResponses, jsonContent } from "../../http/openapi";

export const healthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

export const readinessSchema = z
  .object({
    status: z.literal("ready"),
    database: z.literal("ok"),
    migrations: z.object({ expected: z.number().int(), applied: z.number().int(), upToDate: z.boolean() }),
  })
  .openapi("Readiness");

export const healthRoute = route({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Liveness: the Worker answers. Touches no database.",
  responses: { 200: jsonContent(healthSchema, "The Worker is alive") },
});

export const readyRoute = route({
  method: "get",
  path: "/ready",
  tags: ["System"],
  summary: "Readiness: the database is reachable and every migration is applied.",
  responses: {
    200: jsonContent(readinessSchema, "Ready to serve"),
    503: errorResponses[503],
  },
});
