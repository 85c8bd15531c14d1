import type { UIMessage } from "ai";
import type { StoredMessage } from "./types";

/** A saved message as the AI SDK's UI message (its parts are stored as the SDK wrote them). */
export function toUIMessage(message: StoredMessage): UIMessage {
  const parts = (message.parts as UIMessage["parts"]).filter((part) => part && typeof part === "object");
  return { id: message.id, role: message.role, parts };
}

/** The plain text of a message's text parts. */
export function messageText(message: Pick<UIMessage, "parts">): string {
  return message.parts
    .flatMap((part) => (part.type === "text" ? [part.text] : []))
    .join("\n")
    .trim();
}

export type ToolState = "running" | "done" | "failed";

/** A tool part's state as the card shows it; a result carrying `error` is a failure the model was told about. */
export function toolState(part: { state: string; output?: unknown }): ToolState {
  if (part.state === "output-error" || part.state === "output-denied") return "failed";
  if (part.state === "output-available") {
    const output = part.output as { error?: unknown } | null | undefined;
    return output && typeof output === "object" && typeof output.error === "string" ? "failed" : "done";
  }
  return "running";
}

const toolTitles: Record<string, string> = {
  weather: "Weather",
  currency: "Currency",
  places: "Places",
  localTime: "Local time",
  webSearch: "Web search",
  readPage: "Page",
  flightSearch: "Flights",
  flightStatus: "Flight status",
  travelSafety: "Travel safety",
  destinationGuide: "Destination guide",
  publicHolidays: "Public holidays",
};

/** The card's name for a tool: "Weather", "Web search"; an unknown tool's name in words. */
export function toolTitle(name: string): string {
  const known = toolTitles[name];
  if (known) return known;
  const words = name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The tool name of a UI part (`tool-weather` or a dynamic tool), or undefined for other parts. */
export function toolNameOf(part: UIMessage["parts"][number]): string | undefined {
  if (part.type === "dynamic-tool") return part.toolName;
  if (part.type.startsWith("tool-")) return part.type.slice("tool-".length);
  return undefined;
}
