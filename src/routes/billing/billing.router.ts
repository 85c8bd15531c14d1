import { createRouter } from "../../http/openapi";
import { getBillingHandler } from "./billing.handlers";
import { getBilling } from "./billing.routes";

export const billingRouter = createRouter().openapi(getBilling, getBillingHandler);
