import { UI_MESSAGE_STREAM_HEADERS } from "ai";
import { availableModels, listModelsFor } from "../../ai/models";
import { chatModes } from "../../ai/modes";
import type { AppRouteHandler } from "../../http/openapi";
import { AppError } from "../../lib/errors";
import { appHostsOf, publicUrlProblem } from "../../outbound/url-policy";
import { getPlan } from "../../services/billing/get-plan";
import { assertChatOwner } from "../../services/replies/assert-chat-owner";
import { regenerateReply, sendMessage } from "../../services/replies/send-message";
import {
  type getChatStreamRoute,
  type listModelsRoute,
  MAX_MESSAGE_CHARS,
  type postChatRoute,
  type stopChatRoute,
  userMessageSchema,
} from "./chat.routes";

export const postChatHandler: AppRouteHandler<typeof postChatRoute> = async (c) => {
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const stream = deps.chatStream(body.id);
  if (body.trigger === "regenerate-message") {
    const reply = await regenerateReply({
      ctx: { db: deps.db, config: deps.config, stream, streamOf: deps.chatStream },
      input: {
        userId: c.get("user").id,
        chatId: body.id,
        messageId: body.messageId,
        modelId: body.model,
        mode: body.mode,
      },
    });
    return new Response(reply.body, { headers: UI_MESSAGE_STREAM_HEADERS }) as never;
  }
  const parsed = userMessageSchema.safeParse(body.messages.at(-1));
  if (!parsed.success) {
    throw new AppError(
      "VALIDATION_ERROR",
      "The last message must be the user's new message (text, and https file parts)",
      {
        details: parsed.error.issues.map((issue) => ({
          path: ["messages", body.messages.length - 1, ...issue.path.map(String)],
          message: issue.message,
        })),
      },
    );
  }
  const text = parsed.data.parts
    .flatMap((part) => (part.type === "text" ? [part.text] : []))
    .join("\n")
    .trim();
  if (!text) throw new AppError("VALIDATION_ERROR", "The message has no text");
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new AppError("VALIDATION_ERROR", `The message is longer than ${MAX_MESSAGE_CHARS} characters`);
  }
  // Checked when the message is sent, with the rule the outbound client applies when it fetches: a URL
  // refused then would otherwise be saved with the message, counted, and fail to load on every later turn.
  const ownHosts = appHostsOf(deps.config);
  const refused = parsed.data.parts.flatMap((part, index) => {
    const problem = part.type === "file" ? publicUrlProblem(part.url, { ownHosts }) : undefined;
    if (problem === undefined) return [];
    return [
      {
        path: ["messages", body.messages.length - 1, "parts", index, "url"],
        message: `Attachments must be at a public address: ${problem}`,
      },
    ];
  });
  if (refused.length > 0) {
    throw new AppError("VALIDATION_ERROR", "Attachments must be public https URLs", { details: refused });
  }
  const attachments = parsed.data.parts.flatMap((part) =>
    part.type === "file" ? [{ url: part.url, mediaType: part.mediaType, name: part.filename ?? "attachment" }] : [],
  );

  const reply = await sendMessage({
    ctx: { db: deps.db, config: deps.config, stream, streamOf: deps.chatStream },
    input: {
      userId: c.get("user").id,
      chatId: body.id,
      clientMessageId: parsed.data.id,
      replacesMessageId: body.messageId,
      text,
      attachments,
      modelId: body.model,
      mode: body.mode,
    },
  });
  return new Response(reply.body, { headers: UI_MESSAGE_STREAM_HEADERS }) as never;
};

export const getChatStreamHandler: AppRouteHandler<typeof getChatStreamRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const deps = c.get("deps");
  await assertChatOwner({ ctx: { db: deps.db }, input: { userId: c.get("user").id, chatId: id } });
  const response = await deps.chatStream(id).fetch(new Request("https://chat-stream/stream"));
  if (response.status === 204) return c.body(null, 204);
  return new Response(response.body, { status: response.status, headers: response.headers }) as never;
};

export const stopChatHandler: AppRouteHandler<typeof stopChatRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const deps = c.get("deps");
  await assertChatOwner({ ctx: { db: deps.db }, input: { userId: c.get("user").id, chatId: id } });
  const stopped = await deps.chatStream(id).stop();
  return c.json({ stopped }, 200);
};

export const listModelsHandler: AppRouteHandler<typeof listModelsRoute> = async (c) => {
  const deps = c.get("deps");
  const plan = await getPlan({ ctx: { db: deps.db, config: deps.config }, input: { userId: c.get("user").id } });
  const models = listModelsFor(plan.tier, deps.config).map((entry) => ({
    id: entry.id,
    label: entry.label,
    modes: [...entry.modes],
    default: entry.default === true,
  }));
  const lockedModels = availableModels(deps.config)
    .filter((entry) => !entry.plans.includes(plan.tier))
    .map((entry) => ({ id: entry.id, label: entry.label, modes: [...entry.modes], requires: "pro" as const }));
  return c.json({ plan: plan.tier, models, lockedModels, modes: [...chatModes] }, 200);
};
