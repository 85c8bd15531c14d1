import { useChat } from "@ai-sdk/react";
import type { UIMessage } from "ai";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import useSWR, { mutate } from "swr";
import { useLocation } from "wouter";
import { refreshChats } from "../../hooks/use-chats";
import { api } from "../../lib/api";
import { type ApiError, fromChatError } from "../../lib/api-error";
import { createChatTransport } from "../../lib/chat-transport";
import { messageText } from "../../lib/messages";
import { signInPath } from "../../lib/safe-next";
import type { ChatMode } from "../../lib/types";
import { ErrorAlert } from "../alert";
import { ChatControls } from "./chat-controls";
import { Composer } from "./composer";
import { Conversation } from "./conversation";
import { preloadMarkdown } from "./message-view";

interface LiveChatProps {
  id: string;
  initialMessages: UIMessage[];
  /** Attach to a reply that may still be generating (an existing chat). */
  resume: boolean;
  /** The first message of a new chat was accepted. */
  onStarted?: () => void;
  header?: ReactNode;
}

const examples = [
  "Three quiet days in Kyoto in April: what's the weather, and what does it cost in euros?",
  "What's the weather in Lisbon this week?",
  "What time is it in Tokyo right now?",
  "Convert 250 USD to EUR and JPY",
];

function EmptyState({ onPick }: { onPick: (text: string) => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-10 text-center">
      <h1 className="text-2xl font-semibold">Where to next?</h1>
      <p className="text-muted-foreground">Ask Mylo about weather, money, places and local time anywhere.</p>
      <ul className="grid gap-2 text-left sm:grid-cols-2">
        {examples.map((example) => (
          <li key={example}>
            <button type="button" className="btn h-full w-full justify-start text-left" onClick={() => onPick(example)}>
              {example}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

/** The owner's conversation: useChat owns its state; the server owns the history. */
export function LiveChat({ id, initialMessages, resume, onStarted, header }: LiveChatProps) {
  const [, navigate] = useLocation();
  const models = useSWR("models", api.models);
  const [mode, setMode] = useState<ChatMode>("chat");
  const [model, setModel] = useState<string | undefined>();
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [reconnecting, setReconnecting] = useState(false);
  const stopping = useRef<Promise<void> | undefined>(undefined);
  const attempts = useRef(0);
  const started = useRef(initialMessages.length > 0);

  const defaultModel = models.data?.models.find((entry) => entry.default)?.id;
  const selectedModel = model ?? defaultModel;
  const settings = useRef({ mode, model: selectedModel });
  settings.current = { mode, model: selectedModel };
  const transport = useMemo(
    () => createChatTransport({ mode: () => settings.current.mode, model: () => settings.current.model }),
    [],
  );

  const chatRef = useRef<ReturnType<typeof useChat> | null>(null);
  const chat = useChat({
    id,
    messages: initialMessages,
    transport,
    resume,
    experimental_throttle: 20,
    onData: (part) => {
      // The server may save the user's message under its own id (a transient chunk after `start`).
      if (part.type !== "data-user-message") return;
      const saved = (part.data as { id?: unknown } | undefined)?.id;
      const current = chatRef.current;
      if (typeof saved !== "string" || !current) return;
      current.setMessages((messages) => {
        const index = messages.findLastIndex((message) => message.role === "user");
        if (index === -1 || messages[index]?.id === saved) return messages;
        const copy = [...messages];
        copy[index] = { ...(copy[index] as UIMessage), id: saved };
        return copy;
      });
    },
    onFinish: () => {
      attempts.current = 0;
      setReconnecting(false);
      void refreshChats();
      void mutate("me");
      // The title is written from the first message while the reply streams.
      void mutate(["chat", id]);
    },
    onError: (error) => {
      const mapped = fromChatError(error);
      if (mapped.code === "UNAUTHORIZED") {
        navigate(signInPath(window.location.pathname), { replace: true });
        return;
      }
      const current = chatRef.current;
      const last = current?.messages.at(-1);
      if (mapped.code === "OFFLINE" && last?.role === "assistant") {
        // The connection dropped mid-reply; the reply goes on on the server: catch up when possible.
        setReconnecting(true);
        return;
      }
      if (last?.role === "user" && current) {
        // Refused before any reply: the message was not saved, so it goes back into the composer.
        current.setMessages((messages) => messages.slice(0, -1));
        setDraft((text) => text || messageText(last));
      }
      setFailure(mapped);
    },
  });
  chatRef.current = chat;

  const busy = chat.status === "submitted" || chat.status === "streaming";

  useEffect(preloadMarkdown, []);

  useEffect(() => {
    if (!reconnecting) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(attempts.current, RECONNECT_DELAYS_MS.length - 1)] ?? 15000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retry = () => {
      attempts.current += 1;
      setReconnecting(false);
      void chat.resumeStream();
    };
    const whenOnline = () => {
      clearTimeout(timer);
      retry();
    };
    if (navigator.onLine) timer = setTimeout(retry, delay);
    else window.addEventListener("online", whenOnline, { once: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener("online", whenOnline);
    };
  }, [reconnecting, chat]);

  useEffect(() => {
    if (chat.status === "streaming" && !started.current) {
      started.current = true;
      // The chat exists now. Its address, its place in the history and its header follow a moment later,
      // so the page's own work (a new route, two reads) does not compete with the reply's first tokens.
      setTimeout(() => {
        onStarted?.();
        void refreshChats();
        void mutate(["chat", id]);
      }, 250);
    }
  }, [chat.status, id, onStarted]);

  const send = (text: string) => {
    setFailure(null);
    setDraft("");
    const afterStop = stopping.current;
    if (afterStop) void afterStop.then(() => chat.sendMessage({ text }));
    else void chat.sendMessage({ text });
  };
  const stop = () => {
    void chat.stop();
    // The server ends the reply and saves it before it answers; a message sent meanwhile waits for that.
    stopping.current = api
      .stopChat(id)
      .then(() => undefined)
      .catch((error: unknown) => setFailure(error as ApiError));
  };
  const retry = () => {
    setFailure(null);
    void chat.regenerate();
  };
  const resend = (messageId: string, text: string) => {
    setFailure(null);
    setEditing(null);
    void chat.sendMessage({ text, messageId });
  };

  const lastUser = chat.messages.findLast((message) => message.role === "user");
  const last = chat.messages.at(-1);

  return (
    <div className="mx-auto flex h-full w-full max-w-3xl flex-col">
      {header}
      <Conversation
        messages={chat.messages}
        streaming={busy}
        empty={<EmptyState onPick={setDraft} />}
        actionsFor={(message) => {
          if (busy) return null;
          if (message.id === last?.id && message.role === "assistant") {
            return (
              <button type="button" className="btn-ghost text-xs" onClick={retry}>
                Retry
              </button>
            );
          }
          if (message.id === lastUser?.id && editing === null) {
            return (
              <button type="button" className="btn-ghost text-xs" onClick={() => setEditing(messageText(message))}>
                Edit
              </button>
            );
          }
          return null;
        }}
        editor={
          editing !== null && lastUser ? (
            <EditBox
              text={editing}
              onText={setEditing}
              onCancel={() => setEditing(null)}
              onSave={(text) => resend(lastUser.id, text)}
            />
          ) : null
        }
      />
      <div className="sticky bottom-0 space-y-2 border-t border-border bg-background px-3 py-3">
        {reconnecting && (
          <p role="status" className="text-sm text-amber-800 dark:text-amber-200">
            Reconnecting…
          </p>
        )}
        <ErrorAlert error={failure} onDismiss={() => setFailure(null)} />
        <ChatControls
          models={models.data}
          mode={mode}
          model={selectedModel}
          onMode={setMode}
          onModel={setModel}
          disabled={busy}
        />
        <Composer text={draft} onText={setDraft} busy={busy} onSend={send} onStop={stop} />
      </div>
    </div>
  );
}

function EditBox(props: {
  text: string;
  onText: (text: string) => void;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  return (
    <form
      className="ml-auto w-full max-w-[85%] space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (props.text.trim()) props.onSave(props.text.trim());
      }}
    >
      <label htmlFor="edit-message" className="sr-only">
        Edit message
      </label>
      <textarea
        id="edit-message"
        className="input"
        rows={3}
        maxLength={8000}
        value={props.text}
        onChange={(event) => props.onText(event.target.value)}
      />
      <div className="flex justify-end gap-2">
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={!props.text.trim()}>
          Save and resend
        </button>
      </div>
    </form>
  );
}
