import { limitBody } from "../../http/middleware/body-limit";
import { createRouter } from "../../http/openapi";
import { dodoWebhookHandler, polarWebhookHandler } from "./webhooks.handlers";
import { dodoWebhook, polarWebhook, WEBHOOK_MAX_BODY_BYTES } from "./webhooks.routes";

const router = createRouter();
router.openAPIRegistry.registerPath(polarWebhook);
router.openAPIRegistry.registerPath(dodoWebhook);

export const webhooksRouter = router
  .post(polarWebhook.path, limitBody(WEBHOOK_MAX_BODY_BYTES), polarWebhookHandler)
  .post(dodoWebhook.path, limitBody(WEBHOOK_MAX_BODY_BYTES), dodoWebhookHandler);
