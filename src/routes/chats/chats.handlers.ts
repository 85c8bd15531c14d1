import type { AppRouteHandler } from "../../http/openapi";
import type { AuthUser } from "../../http/types";
import type { ChatView } from "../../services/chats/chat-view";
import { deleteChat } from "../../services/chats/delete-chat";
import { getChat } from "../../services/chats/get-chat";
import { listChats } from "../../services/chats/list-chats";
import { listMessages, type MessageView } from "../../services/chats/list-messages";
import { updateChat } from "../../services/chats/update-chat";
import type { deleteChatRoute, getChatRoute, listChatsRoute, listMessagesRoute, updateChatRoute } from "./chats.routes";

const serializeChat = (chat: ChatView) => ({
  ...chat,
  createdAt: chat.createdAt.toISOString(),
  updatedAt: chat.updatedAt.toISOString(),
});

const serializeMessage = (message: MessageView) => ({ ...message, createdAt: message.createdAt.toISOString() });

/** Reads run behind optionalUser(): the user is absent for anonymous readers of public chats. */
const callerId = (user: AuthUser | undefined) => user?.id ?? null;

export const listChatsHandler: AppRouteHandler<typeof listChatsRoute> = async (c) => {
  const page = await listChats({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: c.req.valid("query"),
  });
  return c.json({ items: page.items.map(serializeChat), nextCursor: page.nextCursor }, 200);
};

export const getChatHandler: AppRouteHandler<typeof getChatRoute> = async (c) => {
  const chat = await getChat({
    ctx: { db: c.get("deps").db, userId: callerId(c.get("user")) },
    input: { chatId: c.req.valid("param").id },
  });
  return c.json(serializeChat(chat), 200);
};

export const updateChatHandler: AppRouteHandler<typeof updateChatRoute> = async (c) => {
  const chat = await updateChat({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { chatId: c.req.valid("param").id, patch: c.req.valid("json") },
  });
  return c.json(serializeChat(chat), 200);
};

export const deleteChatHandler: AppRouteHandler<typeof deleteChatRoute> = async (c) => {
  await deleteChat({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { chatId: c.req.valid("param").id },
  });
  return c.body(null, 204);
};

export const listMessagesHandler: AppRouteHandler<typeof listMessagesRoute> = async (c) => {
  const page = await listMessages({
    ctx: { db: c.get("deps").db, userId: callerId(c.get("user")) },
    input: { chatId: c.req.valid("param").id, ...c.req.valid("query") },
  });
  return c.json({ items: page.items.map(serializeMessage), nextCursor: page.nextCursor }, 200);
};
