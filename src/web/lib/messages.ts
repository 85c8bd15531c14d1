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

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const rows = (value: unknown): Json[] => (Array.isArray(value) ? value.map(record) : []);
const str = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "2026-05-14T07:20:00" or "2026-04-03 09:10+02:00" as "14 May, 07:20" (the place's own local time). */
export function localTimeLabel(value: unknown): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(str(value));
  if (!match) return "";
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${Number(match[3])} ${months[Number(match[2]) - 1] ?? ""}, ${match[4]}:${match[5]}`;
}

/** Minutes as "2 h 50 min". */
export function durationLabel(minutes: unknown): string {
  if (typeof minutes !== "number" || !Number.isFinite(minutes)) return "";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours > 0 ? `${hours} h${rest > 0 ? ` ${rest} min` : ""}` : `${rest} min`;
}

/** A price as the traveller reads it: "£142.90", falling back to "142.9 XYZ". */
export function priceLabel(amount: unknown, currency: unknown): string {
  if (typeof amount !== "number" || typeof currency !== "string") return "";
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** One line saying what a travel tool found, for its card; undefined for other tools. */
export function toolSummary(name: string, output: unknown): string | undefined {
  const value = record(output);
  if (typeof value.error === "string") return undefined;
  switch (name) {
    case "flightSearch": {
      const offers = rows(value.offers);
      const route = `${str(record(value.origin).code)} → ${str(record(value.destination).code)}`;
      const cheapest = offers[0];
      if (!cheapest) return `${route}: no offers`;
      return `${route}: ${plural(offers.length, "offer")}, from ${priceLabel(cheapest.totalAmount, cheapest.currency)}`;
    }
    case "flightStatus": {
      const flight = rows(value.flights)[0];
      return flight ? `${str(flight.number)}: ${statusLabel(str(flight.status))}` : undefined;
    }
    case "travelSafety": {
      const us = record(value.unitedStates);
      const uk = record(value.unitedKingdom);
      const parts = [str(record(value.country).name)];
      if (typeof us.level === "number") parts.push(`US level ${us.level}: ${str(us.levelText)}`);
      const alerts = Array.isArray(uk.alerts) ? uk.alerts.length : 0;
      if (typeof uk.title === "string") parts.push(alerts > 0 ? `UK: ${plural(alerts, "alert")}` : "UK: no alerts");
      return parts.filter(Boolean).join(" · ");
    }
    case "publicHolidays": {
      const holidays = rows(value.holidays);
      const country = str(record(value.country).name);
      return `${country}: ${plural(holidays.length, "public holiday")} from ${str(value.from)} to ${str(value.to)}`;
    }
    case "destinationGuide":
      return [str(value.title), str(value.description)].filter(Boolean).join(": ") || undefined;
    default:
      return undefined;
  }
}

const statusLabels: Record<string, string> = {
  EnRoute: "En route",
  CheckIn: "Check-in",
  GateClosed: "Gate closed",
  CanceledUncertain: "Possibly canceled",
};

/** AeroDataBox's status words in plain English ("EnRoute" → "En route"). */
export function statusLabel(status: string): string {
  return statusLabels[status] ?? status;
}
