import { requireUser } from "../../http/middleware/auth";
import { createRouter } from "../../http/openapi";
import { getChatStreamHandler, listModelsHandler, postChatHandler, stopChatHandler } from "./chat.handlers";
import { getChatStreamRoute, listModelsRoute, postChatRoute, stopChatRoute } from "./chat.routes";

const router = createRouter();
// "/api/chat/*" also matches "/api/chat" itself: one registration, so the session is read once per request.
router.use("/api/chat/*", requireUser());
router.use("/api/models", requireUser());

export const chatRouter = router
  .openapi(postChatRoute, postChatHandler)
  .openapi(getChatStreamRoute, getChatStreamHandler)
  .openapi(stopChatRoute, stopChatHandler)
  .openapi(listModelsRoute, listModelsHandler);
