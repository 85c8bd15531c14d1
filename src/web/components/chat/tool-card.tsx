import type { ReactNode } from "react";
import {
  durationLabel,
  localTimeLabel,
  priceLabel,
  statusLabel,
  type ToolState,
  toolState,
  toolSummary,
  toolTitle,
} from "../../lib/messages";

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

function Flights({ output }: { output: Json }) {
  const offers = asArray(output.offers);
  if (offers.length === 0) return <p>No offers for these dates.</p>;
  return (
    <ul className="space-y-1.5">
      {offers.map((offer, index) => (
        <li key={text(offer.id) || index} className="rounded-md bg-muted px-2 py-1">
          <span className="font-medium">{priceLabel(offer.totalAmount, offer.currency)}</span>{" "}
          {offer.label != null && <span className="text-xs text-muted-foreground">({text(offer.label)})</span>}{" "}
          {(Array.isArray(offer.carriers) ? offer.carriers : []).map(text).join(", ")}
          {asArray(offer.slices).map((slice) => (
            <span key={`${text(slice.from)}-${text(slice.departureLocal)}`} className="block text-xs">
              {text(slice.from)} {localTimeLabel(slice.departureLocal)} → {text(slice.to)}{" "}
              {localTimeLabel(slice.arrivalLocal)} · {durationLabel(slice.durationMinutes)} ·{" "}
              {slice.stops === 0 ? "direct" : `${text(slice.stops)} stop${slice.stops === 1 ? "" : "s"}`}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

function Movement({ label, item }: { label: string; item: Json }) {
  const airport = asRecord(item.airport);
  const when = item.actualLocal ?? item.estimatedLocal;
  const gate = [
    item.terminal != null && `Terminal ${text(item.terminal)}`,
    item.gate != null && `Gate ${text(item.gate)}`,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <li>
      <span className="font-medium">
        {label} {text(airport.iata)}
      </span>{" "}
      scheduled {localTimeLabel(item.scheduledLocal)}
      {when != null && `, ${item.actualLocal != null ? "actual" : "estimated"} ${localTimeLabel(when)}`}
      {gate && <span className="text-muted-foreground"> ({gate})</span>}
    </li>
  );
}

function FlightStatus({ output }: { output: Json }) {
  return (
    <div className="space-y-1">
      {asArray(output.flights).map((flight) => (
        <div key={`${text(flight.number)}-${text(asRecord(flight.departure).scheduledLocal)}`}>
          <p>
            <strong>{text(flight.number)}</strong> {text(flight.airline)}: {statusLabel(text(flight.status))}
          </p>
          <ul>
            <Movement label="Departs" item={asRecord(flight.departure)} />
            <Movement label="Arrives" item={asRecord(flight.arrival)} />
          </ul>
        </div>
      ))}
    </div>
  );
}

function Safety({ output }: { output: Json }) {
  const us = asRecord(output.unitedStates);
  const uk = asRecord(output.unitedKingdom);
  return (
    <ul className="space-y-1">
      <li>
        <span className="font-medium">US State Department: </span>
        {typeof us.error === "string" ? (
          us.error
        ) : (
          <SafeLink href={us.url}>
            Level {text(us.level)}: {text(us.levelText)}
          </SafeLink>
        )}
      </li>
      <li>
        <span className="font-medium">UK FCDO: </span>
        {typeof uk.error === "string" ? (
          uk.error
        ) : (
          <>
            <SafeLink href={uk.url}>
              {Array.isArray(uk.alerts) && uk.alerts.length > 0 ? uk.alerts.map(text).join("; ") : "No FCDO alerts"}
            </SafeLink>
            {uk.entryRequirementsUrl != null && (
              <>
                {" · "}
                <SafeLink href={uk.entryRequirementsUrl}>Entry requirements</SafeLink>
              </>
            )}
          </>
        )}
      </li>
    </ul>
  );
}

function Holidays({ output }: { output: Json }) {
  const holidays = asArray(output.holidays);
  if (holidays.length === 0) return <p>No public holidays in these dates.</p>;
  return (
    <ul className="space-y-0.5">
      {holidays.map((holiday) => (
        <li key={`${text(holiday.date)}-${text(holiday.name)}`}>
          <span className="font-medium">{text(holiday.date)}</span> {text(holiday.name)}
          {holiday.nationwide === false && <span className="text-xs text-muted-foreground"> (regional)</span>}
        </li>
      ))}
    </ul>
  );
}

function Guide({ output }: { output: Json }) {
  const summary = text(output.summary);
  return (
    <div>
      <p>
        <SafeLink href={output.url}>{text(output.title)}</SafeLink>
        {output.description != null && <span className="text-muted-foreground"> · {text(output.description)}</span>}
      </p>
      <p className="text-xs">{summary.length > 280 ? `${summary.slice(0, 280)}…` : summary}</p>
    </div>
  );
}

/** The provider a result came from, linked where it gave a page. */
function Source({ output }: { output: Json }) {
  const source = asRecord(output.source);
  if (typeof source.provider !== "string") return null;
  return (
    <p className="mt-1 text-xs text-muted-foreground">
      Source: <SafeLink href={source.url}>{source.provider}</SafeLink>
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
  flightSearch: Flights,
  flightStatus: FlightStatus,
  travelSafety: Safety,
  publicHolidays: Holidays,
  destinationGuide: Guide,
};

/** One tool call: a group named after its tool, with its state and, when done, what it found. */
export function ToolCard({ name, part }: { name: string; part: ToolPartLike }) {
  const state = toolState(part);
  const title = toolTitle(name);
  const output = asRecord(part.output);
  const Body = bodies[name] ?? Generic;
  const failure = part.errorText ?? (typeof output.error === "string" ? output.error : undefined);
  const summary = state === "done" ? toolSummary(name, output) : undefined;
  return (
    <fieldset aria-label={title} className="my-2 min-w-0 rounded-lg border border-border bg-sidebar px-3 py-2 text-sm">
      <div className="mb-1 flex items-center gap-2">
        <span className="font-medium">{title}</span>
        <span className={`rounded-full px-2 py-0.5 text-xs ${stateStyles[state]}`}>{stateLabels[state]}</span>
      </div>
      {summary && <p className="mb-1 font-medium">{summary}</p>}
      {state === "done" && <Body output={output} />}
      {state === "done" && <Source output={output} />}
      {state === "failed" && failure && <p className="text-red-800 dark:text-red-300">{failure}</p>}
    </fieldset>
  );
}
