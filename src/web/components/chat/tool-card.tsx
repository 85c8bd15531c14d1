import type { ReactNode } from "react";
import { type ToolState, toolState, toolTitle } from "../../lib/messages";

interface ToolPartLike {
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

const stateLabels: Record<ToolState, string> = { running: "Running…", done: "Done", failed: "Failed" };
const stateStyles: Record<ToolState, string> = {
  running: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
  done: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100",
};

type Json = Record<string, unknown>;
const asRecord = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asRecord) : []);
const text = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");

function SafeLink({ href, children }: { href: unknown; children: ReactNode }) {
  const url = typeof href === "string" && /^https?:\/\//i.test(href) ? href : undefined;
  if (!url) return <span>{children}</span>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline dark:text-brand-500">
      {children}
    </a>
  );
}

function Weather({ output }: { output: Json }) {
  const location = asRecord(output.location);
  const current = asRecord(output.current);
  const where = [text(location.name), text(location.country)].filter(Boolean).join(", ");
  return (
    <div className="space-y-2">
      <p>
        <strong>{where}</strong>
        {current.temperatureC != null && `: ${text(current.temperatureC)} °C, ${text(current.conditions)}`}
      </p>
      <ul className="grid grid-cols-2 gap-1 sm:grid-cols-4">
        {asArray(output.forecast).map((day) => (
          <li key={text(day.date)} className="rounded-md bg-muted px-2 py-1 text-xs">
            <span className="block font-medium">{text(day.date)}</span>
            {text(day.conditions)}
            <span className="block">
              {text(day.minC)}–{text(day.maxC)} °C
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Currency({ output }: { output: Json }) {
  return (
    <div>
      <ul>
        {asArray(output.conversions).map((row) => (
          <li key={text(row.currency)}>
            {text(output.amount)} {text(output.from)} = <strong>{text(row.amount)}</strong> {text(row.currency)}{" "}
            <span className="text-muted-foreground">(rate {text(row.rate)})</span>
          </li>
        ))}
      </ul>
      {output.date != null && <p className="text-xs text-muted-foreground">Rates of {text(output.date)}</p>}
    </div>
  );
}

function Places({ output }: { output: Json }) {
  return (
    <ul className="space-y-0.5">
      {asArray(output.places).map((place) => (
        <li key={`${text(place.name)}-${text(place.latitude)}-${text(place.longitude)}`}>
          {[text(place.name), text(place.region), text(place.country)].filter(Boolean).join(", ")}
        </li>
      ))}
    </ul>
  );
}

function LocalTime({ output }: { output: Json }) {
  return (
    <p>
      <strong>
        {text(output.weekday)} {text(output.date)} {text(output.time)}
      </strong>{" "}
      <span className="text-muted-foreground">
        ({text(output.timeZone)}, UTC{text(output.utcOffset)})
      </span>
    </p>
  );
}

function WebSearch({ output }: { output: Json }) {
  const results = asArray(output.results);
  if (results.length === 0) return <p>No results.</p>;
  return (
    <ol className="list-decimal space-y-1 pl-5">
      {results.map((result) => (
        <li key={text(result.url) || text(result.title)}>
          <SafeLink href={result.url}>{text(result.title) || text(result.url)}</SafeLink>
        </li>
      ))}
    </ol>
  );
}

function Page({ output }: { output: Json }) {
  return (
    <p>
      <SafeLink href={output.url}>{text(output.title) || text(output.url)}</SafeLink>
    </p>
  );
}

function Generic({ output }: { output: Json }) {
  const summary = JSON.stringify(output);
  return (
    <p className="break-words text-xs text-muted-foreground">
      {summary.length > 300 ? `${summary.slice(0, 300)}…` : summary}
    </p>
  );
}

const bodies: Record<string, (props: { output: Json }) => ReactNode> = {
  weather: Weather,
  currency: Currency,
  places: Places,
  localTime: LocalTime,
  webSearch: WebSearch,
  readPage: Page,
};

/** One tool call: a group named after its tool, with its state and, when done, what it found. */
export function ToolCard({ name, part }: { name: string; part: ToolPartLike }) {
  const state = toolState(part);
  const title = toolTitle(name);
  const output = asRecord(part.output);
  const Body = bodies[name] ?? Generic;
  const failure = part.errorText ?? (typeof output.error === "string" ? output.error : undefined);
  return (
    <fieldset aria-label={title} className="my-2 min-w-0 rounded-lg border border-border bg-sidebar px-3 py-2 text-sm">
      <div className="mb-1 flex items-center gap-2">
        <span className="font-medium">{title}</span>
        <span className={`rounded-full px-2 py-0.5 text-xs ${stateStyles[state]}`}>{stateLabels[state]}</span>
      </div>
      {state === "done" && <Body output={output} />}
      {state === "failed" && failure && <p className="text-red-800 dark:text-red-300">{failure}</p>}
    </fieldset>
  );
}
