import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { askForRoute, describeTravelResult, notConfigured, planTravel } from "./offline-travel";

/**
 * A model that needs no account: it says plainly that Mylo is offline, and still exercises tools,
 * streaming and token accounting. A question about flights, travel safety or public holidays calls
 * that tool when it is offered (and says the tool is not configured when it is not); one that names a
 * place calls the weather tool. Once a tool result is in the prompt it summarises it.
 */

const knownCities = [
  "Amsterdam",
  "Athens",
  "Bangkok",
  "Barcelona",
  "Berlin",
  "Buenos Aires",
  "Cape Town",
  "Copenhagen",
  "Dubai",
  "Dublin",
  "Edinburgh",
  "Florence",
  "Hong Kong",
  "Istanbul",
  "Kyoto",
  "Lisbon",
  "London",
  "Los Angeles",
  "Madrid",
  "Marrakesh",
  "Mexico City",
  "Munich",
  "New York",
  "Osaka",
  "Paris",
  "Porto",
  "Prague",
  "Reykjavik",
  "Rome",
  "San Francisco",
  "Seoul",
  "Singapore",
  "Stockholm",
  "Sydney",
  "Tokyo",
  "Venice",
  "Vienna",
  "Zurich",
];

const notPlaces = new Set([
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
  "I",
  "The",
  "A",
  "An",
  "Euros",
  "Dollars",
  "Yen",
  "Pounds",
  "Spring",
  "Summer",
  "Autumn",
  "Winter",
  "Christmas",
  "Easter",
]);

/** A place named in free text: a well-known city, or a capitalised name after "in", "to", "for" or "at". */
export function findPlace(text: string): string | undefined {
  for (const city of knownCities) {
    if (new RegExp(`\\b${city}\\b`, "i").test(text)) return city;
  }
  const pattern = /\b(?:in|to|for|at)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})/gu;
  for (const match of text.matchAll(pattern)) {
    const words = (match[1] ?? "").split(/\s+/).filter((word) => !notPlaces.has(word));
    if (words.length > 0 && !notPlaces.has(match[1] ?? "")) return words.join(" ");
  }
  return undefined;
}

type ToolResultPart = Extract<
  Extract<LanguageModelV4Prompt[number], { role: "tool" }>["content"][number],
  { type: "tool-result" }
>;

interface Conversation {
  userText: string;
  toolResults: ToolResultPart[];
}

function readConversation(prompt: LanguageModelV4Prompt): Conversation {
  let lastUser = -1;
  prompt.forEach((message, index) => {
    if (message.role === "user") lastUser = index;
  });
  const user = lastUser >= 0 ? prompt[lastUser] : undefined;
  const userText =
    user?.role === "user"
      ? user.content
          .map((part) => (part.type === "text" ? part.text : ""))
          .join(" ")
          .trim()
      : "";
  const toolResults: ToolResultPart[] = [];
  for (const message of prompt.slice(lastUser + 1)) {
    if (message.role !== "tool") continue;
    for (const part of message.content) if (part.type === "tool-result") toolResults.push(part);
  }
  return { userText, toolResults };
}

function describeOutput(part: ToolResultPart): string {
  const output = part.output;
  if (output.type === "error-text" || output.type === "text") return output.value;
  if (output.type === "execution-denied") return "the tool call was not allowed";
  if (output.type !== "json" && output.type !== "error-json") return "a result I cannot show here";
  const value = output.value as Record<string, unknown> | null;
  if (value && typeof value.error === "string") return `it could not help (${value.error})`;
  const location = value?.location as { name?: string; country?: string | null } | undefined;
  const current = value?.current as { temperatureC?: number | null; conditions?: string } | undefined;
  if (part.toolName === "weather" && location && current) {
    const where = [location.name, location.country].filter(Boolean).join(", ");
    const temperature =
      typeof current.temperatureC === "number" ? `${current.temperatureC} °C` : "an unknown temperature";
    return `${where}: ${current.conditions ?? "unknown conditions"}, ${temperature} right now`;
  }
  const travel = value ? describeTravelResult(part.toolName, value) : undefined;
  if (travel) return travel;
  const json = JSON.stringify(value);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

type ScriptedReply = { kind: "tool-call"; toolName: string; input: string } | { kind: "text"; text: string };

/**
 * Appended to every text reply in slow mode, so a reply streams for long enough to watch (and to reload
 * the page in the middle of it). Generic on purpose: it is placeholder text, and says so.
 */
export const offlineTravelTips = [
  "While no model is connected, here are some general travel tips as offline placeholder text, not advice about your trip.",
  "Check the entry rules and passport validity for every country on your route well before you book anything.",
  "Keep digital and paper copies of your documents, tickets and reservations somewhere apart from the originals.",
  "Tell your bank where you are going, carry two ways to pay, and keep a little local cash for small purchases.",
  "Pack light layers, comfortable shoes and a small first-aid kit, and leave some room in your bag for the way home.",
  "Learn a few polite phrases in the local language; a greeting and a thank-you go a long way almost everywhere.",
  "Plan one unhurried day for every few busy ones, and leave space for whatever you discover along the way.",
  "This is the end of the offline placeholder text: connect a model for answers about your own plans.",
].join(" ");

function planReply(options: LanguageModelV4CallOptions, extended: boolean): ScriptedReply {
  const { userText, toolResults } = readConversation(options.prompt);
  const offered = new Set((options.tools ?? []).filter((item) => item.type === "function").map((item) => item.name));
  const toolsAllowed = options.toolChoice?.type !== "none";
  const place = findPlace(userText);
  const intro = "Mylo is running offline: no AI model is connected, so this reply comes from a built-in stand-in.";
  const tips = extended ? `\n\n${offlineTravelTips}` : "";

  const travel = toolResults.length === 0 ? planTravel(userText, new Date()) : undefined;
  if (travel && toolsAllowed) {
    if (offered.has(travel.toolName)) {
      if (!travel.input) return { kind: "text", text: `${intro} ${askForRoute}${tips}` };
      return { kind: "tool-call", toolName: travel.toolName, input: JSON.stringify(travel.input) };
    }
    if (travel.toolName === "flightSearch" || travel.toolName === "flightStatus") {
      return { kind: "text", text: `${intro} ${notConfigured(travel.toolName)}${tips}` };
    }
  }
  if (toolResults.length === 0 && place && offered.has("weather") && toolsAllowed) {
    return { kind: "tool-call", toolName: "weather", input: JSON.stringify({ location: place, days: 3 }) };
  }
  if (toolResults.length > 0) {
    const findings = toolResults.map((part) => `The ${part.toolName} tool reported ${describeOutput(part)}.`);
    return { kind: "text", text: `${intro} ${findings.join(" ")} Connect a model for a full answer.${tips}` };
  }
  const echo = userText.length > 120 ? `${userText.slice(0, 120)}…` : userText;
  const subject = echo ? ` I received your message ("${echo}") but cannot answer it properly.` : "";
  return {
    kind: "text",
    text: `${intro}${subject} Set AI_PROVIDER to workers-ai or openai-compatible to get real answers.${tips}`,
  };
}

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function usageFor(options: LanguageModelV4CallOptions, output: string): LanguageModelV4Usage {
  const input = estimateTokens(JSON.stringify(options.prompt));
  const produced = estimateTokens(output);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: produced, text: produced, reasoning: 0 },
  };
}

function chunkText(text: string): string[] {
  const words = text.split(/(?<=\s)/);
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += 4) chunks.push(words.slice(index, index + 4).join(""));
  return chunks;
}

export interface OfflineModelOptions {
  modelId?: string;
  /**
   * Pause between streamed text chunks, to make streaming visible locally. A delay above zero also
   * lengthens every text reply with placeholder travel tips, so there is something to watch.
   */
  chunkDelayMs?: number;
}

export const offlineProvider = "mylo.offline";

export class OfflineLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = offlineProvider;
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly chunkDelayMs: number;

  constructor(options: OfflineModelOptions = {}) {
    this.modelId = options.modelId ?? "mylo-offline";
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const plan = planReply(options, this.chunkDelayMs > 0);
    const content: LanguageModelV4Content[] =
      plan.kind === "tool-call"
        ? [{ type: "tool-call", toolCallId: crypto.randomUUID(), toolName: plan.toolName, input: plan.input }]
        : [{ type: "text", text: plan.text }];
    return {
      content,
      finishReason: finishReasonFor(plan),
      usage: usageFor(options, plan.kind === "tool-call" ? plan.input : plan.text),
      response: { id: crypto.randomUUID(), modelId: this.modelId, timestamp: new Date() },
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const plan = planReply(options, this.chunkDelayMs > 0);
    const parts: LanguageModelV4StreamPart[] = [
      { type: "stream-start", warnings: [] },
      { type: "response-metadata", id: crypto.randomUUID(), modelId: this.modelId, timestamp: new Date() },
    ];
    if (plan.kind === "tool-call") {
      const id = crypto.randomUUID();
      parts.push(
        { type: "tool-input-start", id, toolName: plan.toolName },
        { type: "tool-input-delta", id, delta: plan.input },
        { type: "tool-input-end", id },
        { type: "tool-call", toolCallId: id, toolName: plan.toolName, input: plan.input },
      );
    } else {
      const id = crypto.randomUUID();
      parts.push({ type: "text-start", id });
      for (const delta of chunkText(plan.text)) parts.push({ type: "text-delta", id, delta });
      parts.push({ type: "text-end", id });
    }
    parts.push({
      type: "finish",
      finishReason: finishReasonFor(plan),
      usage: usageFor(options, plan.kind === "tool-call" ? plan.input : plan.text),
    });

    const delay = this.chunkDelayMs;
    const signal = options.abortSignal;
    let index = 0;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async pull(controller) {
        if (signal?.aborted) {
          controller.error(signal.reason);
          return;
        }
        const part = parts[index++];
        if (!part) {
          controller.close();
          return;
        }
        if (delay > 0 && part.type === "text-delta") await new Promise((resolve) => setTimeout(resolve, delay));
        controller.enqueue(part);
      },
    });
    return { stream };
  }
}

function finishReasonFor(plan: ScriptedReply): LanguageModelV4FinishReason {
  return plan.kind === "tool-call" ? { unified: "tool-calls", raw: "tool-calls" } : { unified: "stop", raw: "stop" };
}

export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  return new OfflineLanguageModel(options);
}
