import type { AppRouteHandler } from "../../http/openapi";
import { AppError } from "../../lib/errors";
import { checkReadiness } from "../../services/system/check-readiness";
import type { healthRoute, readyRoute } from "./health.routes";

export const healthHandler: AppRouteHandler<typeof healthRoute> = (c) => c.json({ status: "ok" as const }, 200);

export const readyHandler: AppRouteHandler<typeof readyRoute> = async (c) => {
  const result = await checkReadiness({ ctx: { db: c.get("deps").db } });
  if (!result.ready) {
    const message =
      result.database === "unreachable" ? "The database is unreachable" : "Database migrations are not applied";
    throw new AppError("SERVICE_UNAVAILABLE", message, {
      details: { database: result.database, migrations: result.migrations },
      headers: { "Retry-After": "5" },
    });
  }
  return c.json({ status: "ready" as const, database: "ok" as const, migrations: result.migrations }, 200);
};
