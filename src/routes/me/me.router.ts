import { requireUser } from "../../http/middleware/auth";
import { createRouter } from "../../http/openapi";
import { accountStatusAlongSession } from "../../services/account/get-account-status";
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

const router = createRouter();
// "/api/me/*" also matches "/api/me" itself: one registration, so the session is read once per request.
// `GET /api/me`'s plan and usage are read in the same statement as the session.
router.use(
  "/api/me/*",
  requireUser({
    alongSession: (c) =>
      c.req.method === "GET" && c.req.path === "/api/me" ? accountStatusAlongSession(c.get("config")) : undefined,
  }),
);

export const meRouter = router
  .openapi(getMeRoute, getMeHandler)
  .openapi(deleteMeRoute, deleteMeHandler)
  .openapi(exportMeRoute, exportMeHandler)
  .openapi(getInstructionsRoute, getInstructionsHandler)
  .openapi(putInstructionsRoute, putInstructionsHandler)
  .openapi(deleteInstructionsRoute, deleteInstructionsHandler);
