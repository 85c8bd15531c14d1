import { createRouter } from "../../http/openapi";
import { healthHandler, readyHandler } from "./health.handlers";
import { healthRoute, readyRoute } from "./health.routes";

export const healthRouter = createRouter().openapi(healthRoute, healthHandler).openapi(readyRoute, readyHandler);
