import { DefaultChatTransport, type UIMessage } from "ai";
import { paths } from "./api";
import type { ChatMode } from "./types";

export interface ChatRequestSettings {
  model: () => string | undefined;
  mode: () => ChatMode;
}

/**
 * The AI SDK's own chat transport, pointed at `/api/chat` (resume: `GET /api/chat/:id/stream`).
 * The server reads only the newest message (the history is its own), so only that one is sent.
 *
 * A reload never shows a reply twice: the server replays a reply from its first chunk, whose `start`
 * carries the id the reply is saved with, and the transport treats every resumed stream as a replay
 * (`resumeStreamIsReplay`, the default), so the SDK starts that message afresh and writes it over the
 * message with the same id it already holds (the saved reply), instead of appending to it.
 */
export function createChatTransport(settings: ChatRequestSettings, fetchImpl?: typeof fetch) {
  return new DefaultChatTransport<UIMessage>({
    api: paths.chat,
    credentials: "same-origin",
    resumeStreamIsReplay: true,
    fetch: fetchImpl,
    prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
      body: {
        id,
        messages: messages.slice(-1),
        trigger,
        messageId,
        model: settings.model(),
        mode: settings.mode(),
      },
    }),
  });
}
