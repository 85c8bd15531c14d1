import type { AnchorHTMLAttributes } from "react";
import { type Components, defaultRehypePlugins, Streamdown } from "streamdown";

/** Links from the model open elsewhere and tell the target nothing about this page. */
function ExternalLink({ href, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { node: _node, ...props } = rest as typeof rest & { node?: unknown };
  return (
    <a
      {...props}
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className="text-brand-700 underline dark:text-brand-500"
    >
      {children}
    </a>
  );
}

/** Images in a reply would be requests to other hosts (the CSP refuses them): shown as a link instead. */
function ImageLink({ src, alt }: { src?: string | Blob; alt?: string }) {
  if (typeof src !== "string") return null;
  return <ExternalLink href={src}>{alt ? `Image: ${alt}` : "Image"}</ExternalLink>;
}

// Markdown only: raw HTML in a reply is dropped, never rendered (no `raw` plugin, and skipHtml).
const rehypePlugins = [defaultRehypePlugins.sanitize, defaultRehypePlugins.harden].filter(
  (plugin): plugin is NonNullable<typeof plugin> => plugin !== undefined,
);

const components = { a: ExternalLink, img: ImageLink } as unknown as Components;

/** Streaming-safe Markdown (Streamdown, as the AI SDK's own chatbot uses), loaded lazily with the chat. */
export default function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Streamdown
      mode={streaming ? "streaming" : "static"}
      isAnimating={streaming}
      skipHtml
      rehypePlugins={rehypePlugins}
      components={components}
      linkSafety={{ enabled: false }}
      controls={false}
      className="prose-chat"
    >
      {text}
    </Streamdown>
  );
}
