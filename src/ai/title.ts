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
