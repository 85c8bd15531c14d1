import { createRouter } from "../../http/openapi";
import { healthHandler, readyHandler } from "./health.handlers";
import { health, ready } from "./health.routes";

export const healthRouter = createRouter().openapi(health, healthHandler).openapi(ready, readyHandler);
