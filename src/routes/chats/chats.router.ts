import { createRouter } from "../../http/openapi";
import {
  deleteChatHandler,
  getChatHandler,
  listChatsHandler,
  listMessagesHandler,
  updateChatHandler,
} from "./chats.handlers";
import { deleteChatRoute, getChatRoute, listChatsRoute, listMessagesRoute, updateChatRoute } from "./chats.routes";

export const chatsRouter = createRouter()
  .openapi(listChatsRoute, listChatsHandler)
  .openapi(getChatRoute, getChatHandler)
  .openapi(updateChatRoute, updateChatHandler)
  .openapi(deleteChatRoute, deleteChatHandler)
  .openapi(listMessagesRoute, listMessagesHandler);
