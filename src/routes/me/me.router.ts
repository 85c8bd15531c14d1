import { createRouter } from "../../http/openapi";
import {
  deleteInstructionsHandler,
  deleteMeHandler,
  exportMeHandler,
  getInstructionsHandler,
  getMeHandler,
  putInstructionsHandler,
} from "./me.handlers";
import {
  deleteInstructionsRoute,
  deleteMeRoute,
  exportMeRoute,
  getInstructionsRoute,
  getMeRoute,
  putInstructionsRoute,
} from "./me.routes";

export const meRouter = createRouter()
  .openapi(getMeRoute, getMeHandler)
  .openapi(deleteMeRoute, deleteMeHandler)
  .openapi(exportMeRoute, exportMeHandler)
  .openapi(getInstructionsRoute, getInstructionsHandler)
  .openapi(putInstructionsRoute, putInstructionsHandler)
  .openapi(deleteInstructionsRoute, deleteInstructionsHandler);
