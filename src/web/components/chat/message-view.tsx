import type { UIMessage } from "ai";
import { lazy, type ReactNode, Suspense } from "react";
import { toolNameOf } from "../../lib/messages";
import { ToolCard } from "./tool-card";

const loadMarkdown = () => import("./markdown");
const Markdown = lazy(loadMarkdown);

/**
 * Loads the Markdown renderer while the traveller is still typing, so the first words of a reply are not
 * held up by fetching and compiling it.
 */
export function preloadMarkdown(): void {
  const start = () => void loadMarkdown();
  if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}

function PlainText({ text }: { text: string }) {
  return <p className="whitespace-pre-wrap break-words">{text}</p>;
}

interface MessageViewProps {
  message: UIMessage;
  /** The reply is still arriving. */
  streaming?: boolean;
  actions?: ReactNode;
}

/** One message: an article named "You" or "Mylo", with a part component per part. */
export function MessageView({ message, streaming = false, actions }: MessageViewProps) {
  const mine = message.role === "user";
  const name = mine ? "You" : "Mylo";
  return (
    <article
      aria-label={name}
      className={mine ? "ml-auto max-w-[85%] rounded-2xl bg-brand-50 px-4 py-2 dark:bg-brand-900/40" : "w-full"}
    >
      <h2 className="sr-only">{name}</h2>
      {message.parts.map((part, index) => {
        const key = `${message.id}-${index}`;
        if (part.type === "text") {
          if (mine) return <PlainText key={key} text={part.text} />;
          return (
            <div key={key} className="break-words">
              <Suspense fallback={<PlainText text={part.text} />}>
                <Markdown text={part.text} streaming={streaming && part.state === "streaming"} />
              </Suspense>
            </div>
          );
        }
        if (part.type === "reasoning") {
          if (!part.text.trim()) return null;
          return (
            <details key={key} className="my-2 rounded-lg border border-border px-3 py-1 text-sm text-muted-foreground">
              <summary className="cursor-pointer">Reasoning</summary>
              <p className="whitespace-pre-wrap py-1">{part.text}</p>
            </details>
          );
        }
        if (part.type === "file") {
          return (
            <p key={key} className="text-sm">
              <a href={part.url} target="_blank" rel="noopener noreferrer" className="underline">
                {part.filename ?? "Attachment"}
              </a>
            </p>
          );
        }
        if (part.type === "source-url") {
          return (
            <p key={key} className="text-xs">
              <a href={part.url} target="_blank" rel="noopener noreferrer" className="underline">
                {part.title ?? part.url}
              </a>
            </p>
          );
        }
        const tool = toolNameOf(part);
        if (tool && "state" in part) return <ToolCard key={key} name={tool} part={part} />;
        return null;
      })}
      {actions && <div className="mt-1 flex flex-wrap gap-1">{actions}</div>}
    </article>
  );
}
