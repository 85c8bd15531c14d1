import { createRouter } from "../../http/openapi";
import { createCheckoutHandler, createPortalHandler, getBillingHandler } from "./billing.handlers";
import { createCheckoutRoute, createPortalRoute, getBilling } from "./billing.routes";

export const billingRouter = createRouter()
  .openapi(getBilling, getBillingHandler)
  .openapi(createCheckoutRoute, createCheckoutHandler)
  .openapi(createPortalRoute, createPortalHandler);
