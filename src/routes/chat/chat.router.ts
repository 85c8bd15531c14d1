import { createRouter } from "../../http/openapi";
import { getChatStreamHandler, listModelsHandler, postChatHandler, stopChatHandler } from "./chat.handlers";
import { getChatStream, listModels, postChat, stopChat } from "./chat.routes";

export const chatRouter = createRouter()
  .openapi(postChat, postChatHandler)
  .openapi(getChatStream, getChatStreamHandler)
  .openapi(stopChat, stopChatHandler)
  .openapi(listModels, listModelsHandler);
