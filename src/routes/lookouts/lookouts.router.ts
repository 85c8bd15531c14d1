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

// The emails-off link is opened from an email, so it declares no security: its token is the credential.
export const lookoutsRouter = createRouter()
  .openapi(lookoutEmailsOffRoute, lookoutEmailsOffHandler)
  .openapi(listLookoutsRoute, listLookoutsHandler)
  .openapi(createLookoutRoute, createLookoutHandler)
  .openapi(getLookoutRoute, getLookoutHandler)
  .openapi(updateLookoutRoute, updateLookoutHandler)
  .openapi(deleteLookoutRoute, deleteLookoutHandler)
  .openapi(pauseLookoutRoute, pauseLookoutHandler)
  .openapi(resumeLookoutRoute, resumeLookoutHandler)
  .openapi(runLookoutRoute, runLookoutHandler)
  .openapi(listLookoutRunsRoute, listLookoutRunsHandler);
