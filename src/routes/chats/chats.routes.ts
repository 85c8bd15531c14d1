import { z } from "@hono/zod-openapi";
import { chatVisibilities, messageRoles } from "../../db/schema";
import { route } from "../../http/middleware/auth";
import { authenticated, errorResponses, jsonContent, pageQuerySchema } from "../../http/openapi";

export const MAX_TITLE_LENGTH = 200;

export const chatSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    visibility: z.enum(chatVisibilities),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    isOwner: z.boolean().openapi({ description: "Whether the caller owns the chat (and may change it)" }),
  })
  .openapi("Chat");

export const chatPageSchema = z
  .strictObject({
    items: z.array(chatSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
  })
  .openapi("ChatPage");

export const attachmentSchema = z
  .strictObject({ url: z.string(), mediaType: z.string(), name: z.string() })
  .openapi("Attachment");

export const messageSchema = z
  .strictObject({
    id: z.string(),
    chatId: z.string(),
    role: z.enum(messageRoles),
    parts: z.array(z.unknown()).openapi({ description: "AI SDK UI message parts" }),
    attachments: z.array(attachmentSchema),
    createdAt: z.iso.datetime(),
    model: z.string().nullable(),
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    totalTokens: z.number().int().nullable(),
    completionTime: z.number().nullable().openapi({ description: "Seconds" }),
  })
  .openapi("Message");

export const messagePageSchema = z
  .strictObject({
    items: z.array(messageSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
  })
  .openapi("MessagePage");

/** Unknown fields are refused, so a client never believes it changed something it could not. */
export const chatPatchSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(MAX_TITLE_LENGTH).optional(),
    visibility: z.enum(chatVisibilities).optional(),
  })
  .refine((patch) => patch.title !== undefined || patch.visibility !== undefined, {
    message: "Give a title, a visibility or both",
  })
  .openapi("ChatPatch");

/** Reads work signed in or not (`{}`: anonymous readers of public chats). */
const optionallyAuthenticated = {
  security: [{}, ...authenticated.security] as Array<Record<string, string[]>>,
};

const chatIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" }, example: "3f1c2a5e-8d5b-4c1e-9a57-0c2d9e2b7f10" }),
});

export const listChatsRoute = route({
  method: "get",
  path: "/api/chats",
  tags: ["Chats"],
  summary: "The caller's chats, newest first (keyset-paginated).",
  ...authenticated,
  request: { query: pageQuerySchema },
  responses: {
    200: jsonContent(chatPageSchema, "A page of the caller's chats"),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getChatRoute = route({
  method: "get",
  path: "/api/chats/{id}",
  tags: ["Chats"],
  summary: "One chat. Public chats are readable by anyone; a private chat is 404 to all but its owner.",
  ...optionallyAuthenticated,
  request: { params: chatIdParams },
  responses: {
    200: jsonContent(chatSchema, "The chat"),
    400: errorResponses[400],
    404: errorResponses[404],
  },
});

export const updateChatRoute = route({
  method: "patch",
  path: "/api/chats/{id}",
  tags: ["Chats"],
  summary: "Rename a chat or change its visibility (owner only; only `title` and `visibility`).",
  description:
    "Unknown fields are refused with 400. Someone else's public chat answers 403; a private or missing chat 404.",
  ...authenticated,
  request: {
    params: chatIdParams,
    body: { required: true, content: { "application/json": { schema: chatPatchSchema } } },
  },
  responses: {
    200: jsonContent(chatSchema, "The updated chat"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export const deleteChatRoute = route({
  method: "delete",
  path: "/api/chats/{id}",
  tags: ["Chats"],
  summary: "Delete a chat with its messages and streams (owner only).",
  description: "Someone else's public chat answers 403; a private or missing chat 404.",
  ...authenticated,
  request: { params: chatIdParams },
  responses: {
    204: { description: "Deleted" },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export const listMessagesRoute = route({
  method: "get",
  path: "/api/chats/{id}/messages",
  tags: ["Chats"],
  summary: "A chat's messages, oldest first (keyset-paginated); readable like the chat itself.",
  ...optionallyAuthenticated,
  request: { params: chatIdParams, query: pageQuerySchema },
  responses: {
    200: jsonContent(messagePageSchema, "A page of messages"),
    400: errorResponses[400],
    404: errorResponses[404],
  },
});
