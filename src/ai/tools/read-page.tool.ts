import { tool } from "ai";
import { z } from "zod";
import { OutboundRequestError } from "../../outbound/errors";
import { type HtmlText, htmlToText } from "./html-to-text";
import { runTool, ToolInputError } from "./tool-result";
import type { ToolDeps } from "./types";

export const readPageLimits = { maxBytes: 1024 * 1024, maxChars: 12_000, timeoutMs: 10_000 };

export const readPageInputSchema = z.object({
  url: z.string().trim().min(1).max(2048).describe("The http(s) URL of the page to read"),
});

const textTypes =
  /^(text\/(html|plain|markdown|csv|xml)|application\/(xhtml\+xml|json|xml|ld\+json|rss\+xml|atom\+xml))\b/i;

function plainText(raw: string): HtmlText {
  const text = raw.trim();
  const truncated = text.length > readPageLimits.maxChars;
  return { title: null, text: truncated ? text.slice(0, readPageLimits.maxChars) : text, truncated };
}

/**
 * Reads a page the model or a user asked for. The URL is untrusted: it goes through the SSRF policy
 * before the first request and after every redirect.
 */
export function createReadPageTool({ http }: ToolDeps) {
  return tool({
    description:
      "Fetch a public web page and return its readable text (title and up to ~12,000 characters). Use it to read sources found by web search.",
    inputSchema: readPageInputSchema,
    execute: (input, { abortSignal }) =>
      runTool("readPage", async () => {
        const response = await http.fetch(input.url, {
          trust: "untrusted",
          headers: { accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5" },
          maxBytes: readPageLimits.maxBytes,
          timeoutMs: readPageLimits.timeoutMs,
          signal: abortSignal,
        });
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new OutboundRequestError("HTTP_STATUS", `The page answered with status ${response.status}`, {
            status: response.status,
          });
        }
        const contentType = response.headers.get("content-type") ?? "text/html";
        if (!textTypes.test(contentType)) {
          await response.body?.cancel().catch(() => undefined);
          throw new ToolInputError(`The page is ${contentType.split(";")[0]}, not text.`);
        }
        const raw = await response.text();
        const isHtml = /html|xml/i.test(contentType);
        const page = isHtml ? htmlToText(raw, { maxChars: readPageLimits.maxChars }) : plainText(raw);
        return {
          url: response.url || input.url,
          title: page.title,
          text: page.truncated ? `${page.text}…` : page.text,
          truncated: page.truncated,
        };
      }),
  });
}
