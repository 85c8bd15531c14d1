import { requireUser } from "../../http/middleware/auth";
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

const router = createRouter();
// "/api/me/*" also matches "/api/me" itself: one registration, so the session is read once per request.
router.use("/api/me/*", requireUser());

export const meRouter = router
  .openapi(getMe, getMeHandler)
  .openapi(deleteMe, deleteMeHandler)
  .openapi(exportMe, exportMeHandler)
  .openapi(getInstructions, getInstructionsHandler)
  .openapi(putInstructions, putInstructionsHandler)
  .openapi(deleteInstructions, deleteInstructionsHandler);
