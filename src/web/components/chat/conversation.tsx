import type { UIMessage } from "ai";
import { type ReactNode, useEffect, useRef } from "react";
import { MessageView } from "./message-view";

interface ConversationProps {
  messages: UIMessage[];
  streaming: boolean;
  empty?: ReactNode;
  actionsFor?: (message: UIMessage) => ReactNode;
  /** Shown in place of the last user message while it is being edited. */
  editor?: ReactNode;
}

/** The messages, in a region "Conversation" that follows the newest text while the reader is at the end. */
export function Conversation({ messages, streaming, empty, actionsFor, editor }: ConversationProps) {
  const end = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const onScroll = () => {
      following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, []);

  // Scrolled in the next frame, once per frame however many updates arrive: scrolling at once would force
  // a layout on every streamed update, while the frame lays the page out anyway.
  const scrollPending = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolling is the effect of new content
  useEffect(() => {
    if (!following.current || scrollPending.current) return;
    scrollPending.current = true;
    requestAnimationFrame(() => {
      scrollPending.current = false;
      if (following.current) end.current?.scrollIntoView({ block: "end" });
    });
  }, [messages]);

  const lastUserIndex = messages.findLastIndex((message) => message.role === "user");
  const lastIndex = messages.length - 1;
  return (
    <section ref={box} aria-label="Conversation" className="flex-1 space-y-4 overflow-y-auto px-3 py-4">
      {messages.length === 0 && empty}
      {messages.map((message, index) =>
        editor && index === lastUserIndex ? (
          <div key={message.id}>{editor}</div>
        ) : (
          <MessageView
            key={message.id}
            message={message}
            streaming={streaming && index === lastIndex && message.role === "assistant"}
            actions={actionsFor?.(message)}
          />
        ),
      )}
      {streaming && messages.at(-1)?.role === "user" && (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Mylo is thinking…
        </p>
      )}
      <div ref={end} />
    </section>
  );
}
