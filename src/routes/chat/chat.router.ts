import { createRouter } from "../../http/openapi";
import { getChatStreamHandler, listModelsHandler, postChatHandler, stopChatHandler } from "./chat.handlers";
import { getChatStreamRoute, listModelsRoute, postChatRoute, stopChatRoute } from "./chat.routes";

export const chatRouter = createRouter()
  .openapi(postChatRoute, postChatHandler)
  .openapi(getChatStreamRoute, getChatStreamHandler)
  .openapi(stopChatRoute, stopChatHandler)
  .openapi(listModelsRoute, listModelsHandler);
