import { createRouter } from "../../http/openapi";
import {
  deleteInstructionsHandler,
  deleteMeHandler,
  exportMeHandler,
  getInstructionsHandler,
  getMeHandler,
  putInstructionsHandler,
} from "./me.handlers";
import { deleteInstructions, deleteMe, exportMe, getInstructions, getMe, putInstructions } from "./me.routes";

export const meRouter = createRouter()
  .openapi(getMe, getMeHandler)
  .openapi(deleteMe, deleteMeHandler)
  .openapi(exportMe, exportMeHandler)
  .openapi(getInstructions, getInstructionsHandler)
  .openapi(putInstructions, putInstructionsHandler)
  .openapi(deleteInstructions, deleteInstructionsHandler);
