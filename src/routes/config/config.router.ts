import { createRouter } from "../../http/openapi";
import { getConfigHandler } from "./config.handlers";
import { getConfig } from "./config.routes";

export const configRouter = createRouter().openapi(getConfig, getConfigHandler);
