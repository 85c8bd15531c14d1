import { generateText, type LanguageModel } from "ai";
import { offlineProvider } from "./offline-model";

export const titleMaxChars = 80;
export const defaultChatTitle = "New Chat";

/** A short title from the first user message: first line or sentence, whitespace collapsed, at most 80 chars. */
export function titleFromMessage(text: string): string {
  const cleaned = text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[#*_`>~[\]]+/g, " ")
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, " ").trim())
    .find((line) => line.length > 0);
  if (!cleaned) return defaultChatTitle;
  const sentence = /^(.{12,}?[.!?])(\s|$)/.exec(cleaned)?.[1] ?? cleaned;
  const chars = [...sentence];
  if (chars.length <= titleMaxChars) return sentence;
  const cut = chars.slice(0, titleMaxChars - 1).join("");
  const atWord = cut.replace(/\s+\S*$/, "");
  return `${(atWord.length >= 40 ? atWord : cut).trimEnd()}…`;
}

/**
 * A model-written title, falling back to the deterministic one on any failure or an unusable answer,
 * so a title never blocks or breaks a reply.
 */
export async function generateTitle(input: {
  model: LanguageModel;
  message: string;
  abortSignal?: AbortSignal;
}): Promise<string> {
  const fallback = titleFromMessage(input.message);
  // The offline stand-in would only echo that it is offline.
  if (typeof input.model === "object" && input.model.provider === offlineProvider) return fallback;
  try {
    const result = await generateText({
      model: input.model,
      instructions:
        "Write a short title (at most 8 words) for a travel chat that starts with the user's message. Answer with the title only, no quotes.",
      prompt: input.message.slice(0, 2000),
      maxOutputTokens: 32,
      maxRetries: 0,
      abortSignal: input.abortSignal,
    });
    const title = result.text
      .split(/\r?\n/)[0]
      ?.replace(/^["'“”‘’\s]+|["'“”‘’\s.]+$/g, "")
      .trim();
    if (!title || title.length < 3) return fallback;
    return [...title].length > titleMaxChars ? titleFromMessage(title) : title;
  } catch {
    return fallback;
  }
}
