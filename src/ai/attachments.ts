import { convertToModelMessages, type ModelMessage, type ToolSet, type UIMessage } from "ai";
import { isOutboundRequestError } from "../outbound/errors";
import type { HttpClient } from "../outbound/safe-fetch";
import { attachmentLimits } from "./generation";

type UIPart = UIMessage["parts"][number];
type FileUIPart = Extract<UIPart, { type: "file" }>;
type UserContent = Extract<ModelMessage, { role: "user" }>["content"];
type UserContentPart = Exclude<UserContent, string>[number];

const MiB = 1024 * 1024;

function nameOf(file: FileUIPart): string {
  return file.filename?.trim() || "attachment";
}

function sizeInMiB(bytes: number): string {
  return `${Math.round((bytes / MiB) * 10) / 10} MiB`;
}

function earlierNote(file: FileUIPart): string {
  return `[The traveller attached "${nameOf(file)}" (${file.mediaType}) to this message; it is not included again.]`;
}

function unreadableNote(file: FileUIPart, reason: string): string {
  return `[The attachment "${nameOf(file)}" could not be read: ${reason}. Say so if the answer depends on it.]`;
}

function overBudgetNote(file: FileUIPart, maxTotalBytes: number): string {
  return `[The attachment "${nameOf(file)}" was not read: the attachments of one message are read up to a limit of ${sizeInMiB(maxTotalBytes)} in all, and it goes past that limit.]`;
}

export interface AttachmentOptions {
  http: HttpClient;
  /** The bytes all attachments of the reply may add up to. */
  maxTotalBytes: number;
  signal?: AbortSignal;
}

/**
 * Downloads the files one after another, each through the untrusted path of the outbound client, until
 * the reply's byte budget is spent. A file that cannot be read, or that does not fit, becomes a short
 * note to the model: one bad link never fails the turn.
 */
export async function fetchAttachments(
  files: FileUIPart[],
  { http, maxTotalBytes, signal }: AttachmentOptions,
): Promise<UserContentPart[]> {
  const content: UserContentPart[] = [];
  let remaining = maxTotalBytes;
  for (const file of files) {
    if (remaining <= 0) {
      content.push({ type: "text", text: overBudgetNote(file, maxTotalBytes) });
      continue;
    }
    const maxBytes = Math.min(attachmentLimits.maxBytes, remaining);
    try {
      const response = await http.fetch(file.url, {
        trust: "untrusted",
        maxBytes,
        timeoutMs: attachmentLimits.timeoutMs,
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        content.push({
          type: "text",
          text: unreadableNote(file, `its address answered with status ${response.status}`),
        });
        continue;
      }
      const data = new Uint8Array(await response.arrayBuffer());
      remaining -= data.byteLength;
      content.push({ type: "file", data, mediaType: file.mediaType, filename: nameOf(file) });
    } catch (error) {
      if (signal?.aborted) throw error;
      const code = isOutboundRequestError(error) ? error.code : undefined;
      if (code === "TOO_LARGE" && maxBytes < attachmentLimits.maxBytes) {
        content.push({ type: "text", text: overBudgetNote(file, maxTotalBytes) });
        remaining = 0;
        continue;
      }
      const reasons: Partial<Record<NonNullable<typeof code>, string>> = {
        TOO_LARGE: `it is larger than ${sizeInMiB(attachmentLimits.maxBytes)}`,
        TIMEOUT: "it did not arrive in time",
        URL_REFUSED: "its address is not a public one",
        TOO_MANY_REDIRECTS: "its address redirected too many times",
      };
      content.push({
        type: "text",
        text: unreadableNote(file, (code && reasons[code]) || "it could not be downloaded"),
      });
    }
  }
  return content;
}

/**
 * The chat's history as model messages. Only the newest user message's attachments are sent, as bytes
 * downloaded here once (so no step of the reply downloads them again); earlier attachments are named
 * in text, since the model saw them when they were new and fetching every one again on every turn
 * would cost the traveller's links and this Worker's time over and over.
 */
export async function toModelMessages(
  history: UIMessage[],
  options: AttachmentOptions & { tools: ToolSet },
): Promise<ModelMessage[]> {
  const newest = history.findLastIndex((entry) => entry.role === "user");
  const newestFiles: FileUIPart[] = [];
  const prepared = history.map((entry, index) => {
    if (entry.role !== "user") return entry;
    if (index === newest) {
      newestFiles.push(...entry.parts.filter((part): part is FileUIPart => part.type === "file"));
      return { ...entry, parts: entry.parts.filter((part) => part.type !== "file") };
    }
    const parts = entry.parts.map(
      (part): UIPart => (part.type === "file" ? { type: "text", text: earlierNote(part) } : part),
    );
    return { ...entry, parts };
  });
  const messages = await convertToModelMessages(prepared, {
    tools: options.tools,
    ignoreIncompleteToolCalls: true,
  });
  if (newestFiles.length === 0) return messages;

  const attached = await fetchAttachments(newestFiles, options);
  const last = messages.findLastIndex((message) => message.role === "user");
  const target = messages[last];
  if (target?.role !== "user") return messages;
  const content: UserContent =
    typeof target.content === "string" ? [{ type: "text", text: target.content }] : target.content;
  messages[last] = { ...target, content: [...content, ...attached] };
  return messages;
}
