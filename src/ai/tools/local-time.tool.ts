import { tool } from "ai";
import { z } from "zod";
import { runTool, ToolInputError } from "./tool-result";
import type { ToolDeps } from "./types";

export const localTimeInputSchema = z.object({
  timeZone: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe("IANA time zone, e.g. 'Asia/Tokyo' (the places tool returns it for a city)"),
});

function partsIn(date: Date, timeZone: string) {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    weekday: "long",
    hourCycle: "h23",
    timeZoneName: "longOffset",
  });
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** Local date and time from the runtime's time-zone data; no network. */
export function localTimeIn(timeZone: string, now: Date) {
  let parts: Record<string, string>;
  try {
    parts = partsIn(now, timeZone);
  } catch {
    throw new ToolInputError(`"${timeZone}" is not a known IANA time zone.`);
  }
  const offsetText = parts.timeZoneName ?? "GMT";
  const utcOffset = offsetText === "GMT" ? "+00:00" : offsetText.replace("GMT", "");
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  return {
    timeZone: new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone,
    date,
    time,
    weekday: parts.weekday ?? null,
    utcOffset,
    iso: `${date}T${time}:${parts.second}${utcOffset}`,
  };
}

export function createLocalTimeTool({ now = () => new Date() }: Pick<ToolDeps, "now">) {
  return tool({
    description: "The current local date, time, weekday and UTC offset in an IANA time zone.",
    inputSchema: localTimeInputSchema,
    execute: (input) => runTool("localTime", async () => localTimeIn(input.timeZone, now())),
  });
}
