import { requireUser } from "../../http/middleware/auth";
import { createRouter } from "../../http/openapi";
import { getChatStreamHandler, listModelsHandler, postChatHandler, stopChatHandler } from "./chat.handlers";
import { getChatStream, listModels, postChat, stopChat } from "./chat.routes";

const router = createRouter();
router.use("/api/chat", requireUser());
router.use("/api/chat/*", requireUser());
router.use("/api/models", requireUser());

export const chatRouter = router
  .openapi(postChat, postChatHandler)
  .openapi(getChatStream, getChatStreamHandler)
  .openapi(stopChat, stopChatHandler)
  .openapi(listModels, listModelsHandler);
