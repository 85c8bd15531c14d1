import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import type { Queryable } from "../../db/client";
import type { GenerationJob } from "./generation-job";
import { type SettledReply, settleReply } from "./settle-reply";

/** The UI-message chunks inside stored server-sent-event text. */
function parseChunks(events: string[]): UIMessageChunk[] {
  const chunks: UIMessageChunk[] = [];
  for (const event of events) {
    for (const line of event.split("\n")) {
      if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
      try {
        chunks.push(JSON.parse(line.slice(6)) as UIMessageChunk);
      } catch {
        // a torn last event: everything before it still counts
      }
    }
  }
  return chunks;
}

/**
 * Saves a reply whose generation stopped with the object that ran it (a restart mid-reply): what was
 * stored is rebuilt into the assistant message and settled as a stopped reply would be, except that with
 * nothing to save the allowance is given back.
 */
export async function saveInterruptedReply({
  ctx,
  job,
  chunks,
}: {
  ctx: { db: Queryable };
  job: GenerationJob & { startedAt?: number };
  chunks: string[];
}): Promise<SettledReply> {
  const parsed = parseChunks(chunks);
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of parsed) controller.enqueue(chunk);
      controller.close();
    },
  });
  let message: UIMessage | undefined;
  try {
    for await (const snapshot of readUIMessageStream({ stream })) message = snapshot;
  } catch {
    // keep the last complete snapshot
  }
  const completionTime = job.startedAt ? (Date.now() - job.startedAt) / 1000 : 0;
  return settleReply({
    ctx,
    job,
    reply: { parts: message?.parts ?? [], status: "stopped", completionTime, refundWhenEmpty: true },
  });
}
