import { z } from "@hono/zod-openapi";
import { chatModes } from "../../ai/modes";
import { route } from "../../http/middleware/auth";
import { authenticated, errorResponses, jsonContent } from "../../http/openapi";

export const MAX_MESSAGE_CHARS = 8000;
export const MAX_ATTACHMENTS = 5;

const textPartSchema = z.object({ type: z.literal("text"), text: z.string().max(MAX_MESSAGE_CHARS) });
const filePartSchema = z.object({
  type: z.literal("file"),
  url: z
    .string()
    .max(2048)
    .refine((value) => value.startsWith("https://"), "Attachments must be https URLs"),
  mediaType: z.string().min(1).max(100),
  filename: z.string().min(1).max(200).optional(),
});

/** The message the server takes from the body: the last one, which must be the user's new message. */
export const userMessageSchema = z.object({
  id: z.string().max(200).optional(),
  role: z.literal("user"),
  parts: z
    .array(z.union([textPartSchema, filePartSchema]))
    .min(1)
    .max(1 + MAX_ATTACHMENTS),
});

/**
 * The body the AI SDK's default chat transport sends, plus `model` and `mode`. Earlier messages are
 * accepted but ignored: the history comes from the database.
 */
export const chatRequestSchema = z
  .object({
    id: z.uuid(),
    messages: z
      .array(z.object({ role: z.string() }).loose())
      .min(1)
      .max(1000),
    trigger: z.enum(["submit-message", "regenerate-message"]).default("submit-message"),
    messageId: z.string().max(200).optional().openapi({
      description:
        "With `submit-message`: the user message this one replaces, with everything after it (an edit). With `regenerate-message`: the reply to replace, or the user message to answer again",
    }),
    model: z.string().min(1).max(100).optional(),
    mode: z.enum(chatModes).default("chat"),
  })
  .openapi("ChatRequest");

const idParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const streamResponse = {
  description: "The reply as an AI SDK UI message stream (server-sent events)",
  content: { "text/event-stream": { schema: z.string() } },
};

export const modelSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    modes: z.array(z.enum(chatModes)),
    default: z.boolean(),
  })
  .openapi("Model");

export const lockedModelSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    modes: z.array(z.enum(chatModes)),
    requires: z.enum(["pro"]).openapi({ description: "The plan that includes the model" }),
  })
  .openapi("LockedModel");

export const modelsResponseSchema = z
  .object({
    plan: z.enum(["free", "pro"]),
    models: z.array(modelSchema),
    lockedModels: z
      .array(lockedModelSchema)
      .openapi({ description: "Models of this deployment the caller's plan does not include (to show them locked)" }),
    modes: z.array(z.enum(chatModes)),
  })
  .openapi("Models");

export const postChatRoute = route({
  method: "post",
  path: "/api/chat",
  tags: ["Chat"],
  summary: "Send a user message and stream the concierge's reply",
  description:
    "Creates the chat on its first message (client-chosen UUID). Counts one message (and one extreme search in `extreme` mode) against the allowance. The reply keeps generating if the client disconnects; reattach with `GET /api/chat/{id}/stream`. With `trigger: \"regenerate-message\"` (the AI SDK's `regenerate`), the caller's existing chat answers again the user message at or before `messageId` (default: its last message); the replaced reply and every later message are deleted, and the messages sent in the body are ignored. With `submit-message` and a `messageId` (the AI SDK's `sendMessage` with `messageId`, an edit), that user message and everything after it are replaced by the new one. A user message keeps the client's id when it is a plain id (letters, digits, `_`, `-`) no message has yet; the id it was saved with comes right after the stream's `start` chunk, in a transient `data-user-message` chunk (`data: { id }`). Attachment URLs must be public: not private, loopback or link-local in any encoding, not this app's own host, and on the standard port; otherwise 400 with nothing saved or counted. Only the newest message's attachments are sent to the model (downloaded once per reply, within a byte limit); earlier ones are named to it.",
  ...authenticated,
  request: { body: { required: true, content: { "application/json": { schema: chatRequestSchema } } } },
  responses: {
    200: streamResponse,
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
    429: errorResponses[429],
  },
});

export const getChatStreamRoute = route({
  method: "get",
  path: "/api/chat/{id}/stream",
  tags: ["Chat"],
  summary: "Attach to the chat's live reply from its first chunk; 204 when nothing is generating",
  ...authenticated,
  request: { params: idParam },
  responses: {
    200: streamResponse,
    204: { description: "Nothing is being generated" },
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const stopChatRoute = route({
  method: "post",
  path: "/api/chat/{id}/stop",
  tags: ["Chat"],
  summary: "Stop the live reply; the partial answer is kept",
  ...authenticated,
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ stopped: z.boolean() }).openapi("StopResult"), "Whether a reply was stopped"),
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export const listModelsRoute = route({
  method: "get",
  path: "/api/models",
  tags: ["Chat"],
  summary: "The models and modes the caller's plan may use",
  ...authenticated,
  responses: { 200: jsonContent(modelsResponseSchema, "Models"), 401: errorResponses[401] },
});
