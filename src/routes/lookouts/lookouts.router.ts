import { requireUser } from "../../http/middleware/auth";
import { createRouter } from "../../http/openapi";
import {
  createLookoutHandler,
  deleteLookoutHandler,
  getLookoutHandler,
  listLookoutRunsHandler,
  listLookoutsHandler,
  lookoutEmailsOffHandler,
  pauseLookoutHandler,
  resumeLookoutHandler,
  runLookoutHandler,
  updateLookoutHandler,
} from "./lookouts.handlers";
import {
  createLookoutRoute,
  deleteLookoutRoute,
  getLookoutRoute,
  listLookoutRunsRoute,
  listLookoutsRoute,
  lookoutEmailsOffRoute,
  pauseLookoutRoute,
  resumeLookoutRoute,
  runLookoutRoute,
  updateLookoutRoute,
} from "./lookouts.routes";

const router = createRouter();
// Opened from an email, so it comes without a session: registered before the sign-in check below, which
// it then never reaches (its token is the credential).
router.openapi(lookoutEmailsOffRoute, lookoutEmailsOffHandler);
// "/api/lookouts/*" also matches "/api/lookouts" itself: one registration, so the session is read once per request.
router.use("/api/lookouts/*", requireUser());

export const lookoutsRouter = router
  .openapi(listLookoutsRoute, listLookoutsHandler)
  .openapi(createLookoutRoute, createLookoutHandler)
  .openapi(getLookoutRoute, getLookoutHandler)
  .openapi(updateLookoutRoute, updateLookoutHandler)
  .openapi(deleteLookoutRoute, deleteLookoutHandler)
  .openapi(pauseLookoutRoute, pauseLookoutHandler)
  .openapi(resumeLookoutRoute, resumeLookoutHandler)
  .openapi(runLookoutRoute, runLookoutHandler)
  .openapi(listLookoutRunsRoute, listLookoutRunsHandler);
