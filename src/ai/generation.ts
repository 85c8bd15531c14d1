import {
  type Experimental_DownloadFunction,
  isStepCount,
  type LanguageModel,
  type ModelMessage,
  type PrepareStepFunction,
  type StopCondition,
  type ToolSet,
} from "ai";
import { createHttpClient, type HttpClient } from "../outbound/safe-fetch";
import { type ChatMode, maxStepsByMode } from "./modes";

export const attachmentLimits = { maxBytes: 10 * 1024 * 1024, timeoutMs: 15_000 };

/**
 * How the AI SDK fetches file URLs found in messages (attachments) before handing them to a model.
 * Its default uses the global `fetch`; this sends them through the untrusted path of the one client.
 */
export function safeDownload(http: HttpClient): Experimental_DownloadFunction {
  return async (requests) =>
    Promise.all(
      requests.map(async ({ url, isUrlSupportedByModel, abortSignal }) => {
        if (isUrlSupportedByModel) return null;
        const response = await http.fetch(url, {
          trust: "untrusted",
          maxBytes: attachmentLimits.maxBytes,
          timeoutMs: attachmentLimits.timeoutMs,
          signal: abortSignal,
        });
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new Error(`The attachment at ${url.href} answered with status ${response.status}`);
        }
        return {
          data: new Uint8Array(await response.arrayBuffer()),
          mediaType: response.headers.get("content-type")?.split(";")[0]?.trim() || undefined,
        };
      }),
    );
}

export interface GenerationInput {
  mode: ChatMode;
  model: LanguageModel;
  tools: ToolSet;
  system: string;
  messages: ModelMessage[];
  /** Overrides the mode's step budget. */
  maxSteps?: number;
  /** The most tokens each model call may write. */
  maxOutputTokens?: number;
  http?: HttpClient;
}

export interface GenerationOptions {
  model: LanguageModel;
  instructions: string;
  messages: ModelMessage[];
  tools: ToolSet;
  stopWhen: StopCondition<ToolSet>;
  prepareStep: PrepareStepFunction<ToolSet>;
  experimental_download: Experimental_DownloadFunction;
  maxRetries: number;
  maxOutputTokens?: number;
}

/**
 * The options for `streamText` (or `generateText`) shared by the chat Durable Object and the lookout
 * consumer. Bounded: at most `maxSteps` model calls, each writing at most `maxOutputTokens`, and the
 * last one may not call tools, so every reply ends in text.
 */
export function buildGenerationOptions(input: GenerationInput): GenerationOptions {
  const maxSteps = Math.max(1, input.maxSteps ?? maxStepsByMode[input.mode]);
  return {
    model: input.model,
    instructions: input.system,
    messages: input.messages,
    tools: input.tools,
    stopWhen: isStepCount(maxSteps),
    prepareStep: ({ stepNumber }) => (stepNumber >= maxSteps - 1 ? { toolChoice: "none" } : undefined),
    experimental_download: safeDownload(input.http ?? createHttpClient()),
    maxRetries: 1,
    ...(input.maxOutputTokens === undefined ? {} : { maxOutputTokens: input.maxOutputTokens }),
  };
}
