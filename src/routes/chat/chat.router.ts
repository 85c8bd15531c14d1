import { requireUser } from "../../http/middleware/auth";
import { createRouter } from "../../http/openapi";
import { getChatStreamHandler, listModelsHandler, postChatHandler, stopChatHandler } from "./chat.handlers";
import { getChatStream, listModels, postChat, stopChat } from "./chat.routes";

const router = createRouter();
// "/api/chat/*" also matches "/api/chat" itself: one registration, so the session is read once per request.
router.use("/api/chat/*", requireUser());
router.use("/api/models", requireUser());

export const chatRouter = router
  .openapi(postChat, postChatHandler)
  .openapi(getChatStream, getChatStreamHandler)
  .openapi(stopChat, stopChatHandler)
  .openapi(listModels, listModelsHandler);
