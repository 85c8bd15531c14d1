import { limitBody } from "../../http/middleware/body-limit";
import { createRouter } from "../../http/openapi";
import { dodoWebhookHandler, polarWebhookHandler } from "./webhooks.handlers";
import { dodoWebhookRoute, polarWebhookRoute, WEBHOOK_MAX_BODY_BYTES } from "./webhooks.routes";

const router = createRouter();
router.openAPIRegistry.registerPath(polarWebhookRoute);
router.openAPIRegistry.registerPath(dodoWebhookRoute);

export const webhooksRouter = router
  .post(polarWebhookRoute.path, limitBody(WEBHOOK_MAX_BODY_BYTES), polarWebhookHandler)
  .post(dodoWebhookRoute.path, limitBody(WEBHOOK_MAX_BODY_BYTES), dodoWebhookHandler);
