import { Chat } from "@ai-sdk/react";
import type { UIMessage } from "ai";
import { describe, expect, it } from "vitest";
import { createChatTransport } from "./chat-transport";

const replyId = "reply-1";
const reply = "Lisbon in May is warm and bright.";

/** The server's replay of a reply: every chunk from `start` (which names the id it is saved with). */
function replayBody(chunks = ["Lisbon in May ", "is warm and bright."]): string {
  const events = [
    { type: "start", messageId: replyId },
    { type: "data-user-message", data: { id: "question-1" }, transient: true },
    { type: "start-step" },
    { type: "text-start", id: "t1" },
    ...chunks.map((delta) => ({ type: "text-delta", id: "t1", delta })),
    { type: "text-end", id: "t1" },
    { type: "finish-step" },
    { type: "finish" },
  ];
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("")}data: [DONE]\n\n`;
}

function fakeServer(status: number, body = "") {
  const requests: Request[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(new URL(String(input), "http://localhost"), init));
    return new Response(status === 204 ? null : body, {
      status,
      headers: { "content-type": "text/event-stream" },
    });
  }) as typeof fetch;
  return { requests, fetchImpl };
}

const question: UIMessage = { id: "question-1", role: "user", parts: [{ type: "text", text: "Lisbon in May?" }] };
const saved: UIMessage = { id: replyId, role: "assistant", parts: [{ type: "text", text: reply }] };

function chatWith(messages: UIMessage[], fetchImpl: typeof fetch) {
  const transport = createChatTransport({ model: () => "offline", mode: () => "chat" }, fetchImpl);
  return new Chat({ id: "chat-1", messages, transport });
}

const textOf = (messages: UIMessage[]) =>
  messages.flatMap((message) => message.parts.flatMap((part) => (part.type === "text" ? [part.text] : []))).join("|");

describe("resuming a reply after a reload", () => {
  it("shows a reply that was still streaming exactly once, as a new message after the question", async () => {
    const server = fakeServer(200, replayBody());
    const chat = chatWith([question], server.fetchImpl);
    await chat.resumeStream();
    expect(new URL(server.requests[0]?.url ?? "").pathname).toBe("/api/chat/chat-1/stream");
    expect(chat.messages.map((message) => message.id)).toEqual(["question-1", replyId]);
    expect(textOf(chat.messages)).toBe(`Lisbon in May?|${reply}`);
  });

  it("shows a reply that had already finished and been saved exactly once (the replay replaces it)", async () => {
    const server = fakeServer(200, replayBody());
    const chat = chatWith([question, saved], server.fetchImpl);
    await chat.resumeStream();
    expect(chat.messages.map((message) => message.id)).toEqual(["question-1", replyId]);
    expect(textOf(chat.messages)).toBe(`Lisbon in May?|${reply}`);
  });

  it("catches up after a dropped connection without repeating what was already shown", async () => {
    // The connection dropped while the reply's tool call was still arriving: the page holds that much.
    const partial: UIMessage = {
      id: replyId,
      role: "assistant",
      parts: [
        { type: "text", text: "Lisbon in May ", state: "done" },
        { type: "tool-weather", toolCallId: "call-1", state: "input-streaming", input: undefined },
      ],
    };
    const server = fakeServer(200, replayBody());
    const chat = chatWith([question, partial], server.fetchImpl);
    await chat.resumeStream();
    expect(chat.messages.map((message) => message.id)).toEqual(["question-1", replyId]);
    expect(textOf(chat.messages)).toBe(`Lisbon in May?|${reply}`);
  });

  it("keeps the messages as they are when nothing is generating (204)", async () => {
    const server = fakeServer(204);
    const chat = chatWith([question, saved], server.fetchImpl);
    await chat.resumeStream();
    expect(chat.messages).toEqual([question, saved]);
    expect(chat.status).toBe("ready");
  });
});

describe("sending", () => {
  it("sends only the newest message, with the chat id, trigger, model and mode", async () => {
    const server = fakeServer(200, replayBody());
    const chat = chatWith([question, saved], server.fetchImpl);
    await chat.sendMessage({ text: "And in June?" });
    const body = (await server.requests[0]?.json()) as Record<string, unknown>;
    expect(new URL(server.requests[0]?.url ?? "").pathname).toBe("/api/chat");
    expect(body).toMatchObject({ id: "chat-1", trigger: "submit-message", model: "offline", mode: "chat" });
    expect(body.messages).toEqual([
      expect.objectContaining({ role: "user", parts: [{ type: "text", text: "And in June?" }] }),
    ]);
  });
});
