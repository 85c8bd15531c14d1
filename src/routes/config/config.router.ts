import { createRouter } from "../../http/openapi";
import { getConfigHandler } from "./config.handlers";
import { getConfigRoute } from "./config.routes";

export const configRouter = createRouter().openapi(getConfigRoute, getConfigHandler);
