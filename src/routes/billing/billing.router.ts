import { createRouter } from "../../http/openapi";
import { createCheckoutHandler, createPortalHandler, getBillingHandler } from "./billing.handlers";
import { createCheckoutRoute, createPortalRoute, getBillingRoute } from "./billing.routes";

export const billingRouter = createRouter()
  .openapi(getBillingRoute, getBillingHandler)
  .openapi(createCheckoutRoute, createCheckoutHandler)
  .openapi(createPortalRoute, createPortalHandler);
