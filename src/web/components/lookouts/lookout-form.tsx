import { type FormEvent, memo, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../../lib/api-error";
import { browserTimeZone } from "../../lib/format";
import { type Frequency, isPlanRequired, lookoutErrorMessage } from "../../lib/lookouts";
import {
  dateIn,
  describeFormIssues,
  type FormField,
  type FormIssue,
  FREQUENCIES,
  fieldsFor,
  issueFields,
  isTimeZone,
  type LookoutFormValues,
  PROMPT_MAX_LENGTH,
  previewSchedule,
  TITLE_MAX_LENGTH,
  timeZoneOptions,
  type ValidationIssue,
  WEEKDAYS,
} from "../../lib/schedule";
import { ErrorAlert } from "../alert";
import { learnLimits } from "./use-lookouts";

// Monday first, as most travellers' calendars are; the values stay cron's (0 = Sunday).
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
const DAYS_OF_MONTH = Array.from({ length: 31 }, (_, index) => index + 1);

const ZoneList = memo(function ZoneList({ id, current }: { id: string; current: string }) {
  return (
    <datalist id={id}>
      {timeZoneOptions(current, browserTimeZone()).map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
});

export interface LookoutFormProps {
  heading: string;
  initial: LookoutFormValues;
  /** Returns the form's own issues, or throws the API's error; resolves when saved. */
  onSubmit: (values: LookoutFormValues) => Promise<FormIssue[] | undefined>;
  onCancel: () => void;
  onPlanRequired: (error: unknown) => void;
  id?: string;
}

/** Create and edit: the fields of the accessible-names contract, and only the day fields the frequency needs. */
export function LookoutForm({ heading, initial, onSubmit, onCancel, onPlanRequired, id }: LookoutFormProps) {
  const uid = useId();
  const ids = {
    heading: `${uid}-heading`,
    title: `${uid}-title`,
    prompt: `${uid}-prompt`,
    promptHelp: `${uid}-prompt-help`,
    frequency: `${uid}-frequency`,
    preview: `${uid}-preview`,
    time: `${uid}-time`,
    timezone: `${uid}-timezone`,
    timezoneHelp: `${uid}-timezone-help`,
    zones: `${uid}-zones`,
    dayOfWeek: `${uid}-day-of-week`,
    dayOfMonth: `${uid}-day-of-month`,
    dayOfMonthHelp: `${uid}-day-of-month-help`,
    date: `${uid}-date`,
    dateHelp: `${uid}-date-help`,
  };
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<ReadonlySet<FormField>>(new Set());
  const [submitting, setSubmitting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("input, textarea, select")?.focus();
  }, []);

  const set = (field: FormField) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setValues((current) => ({ ...current, [field]: value }));
    if (invalid.has(field)) setInvalid((current) => new Set([...current].filter((f) => f !== field)));
  };

  const focusField = (field: FormField | undefined) => {
    if (!field) return;
    document.getElementById(ids[field])?.focus();
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const issues = await onSubmit(values);
      if (issues && issues.length > 0) {
        setInvalid(new Set(issues.map((issue) => issue.field)));
        setError(describeFormIssues(issues));
        focusField(issues[0]?.field);
      }
    } catch (caught) {
      learnLimits(caught);
      if (isPlanRequired(caught)) onPlanRequired(caught);
      const details = caught instanceof ApiError && Array.isArray(caught.details) ? caught.details : [];
      const fields = issueFields(details as ValidationIssue[], values.frequency);
      setInvalid(new Set(fields));
      setError(lookoutErrorMessage(caught, values.frequency));
      focusField(fields[0]);
    } finally {
      setSubmitting(false);
    }
  }

  const needs = fieldsFor(values.frequency);
  const preview = previewSchedule(values);
  const zone = isTimeZone(values.timezone.trim()) ? values.timezone.trim() : browserTimeZone();
  const invalidProps = (field: FormField) => (invalid.has(field) ? { "aria-invalid": true as const } : {});
  const field = "input aria-[invalid=true]:border-red-600 dark:aria-[invalid=true]:border-red-400";
  const help = "mt-1 text-xs text-muted-foreground";

  return (
    <form ref={formRef} id={id} aria-labelledby={ids.heading} noValidate onSubmit={submit} className="card space-y-4">
      <h2 id={ids.heading} className="text-lg font-semibold">
        {heading}
      </h2>

      <div>
        <label htmlFor={ids.title} className="label">
          Title
        </label>
        <input
          id={ids.title}
          className={field}
          value={values.title}
          onChange={set("title")}
          required
          maxLength={TITLE_MAX_LENGTH}
          autoComplete="off"
          placeholder="Cheap flights to Lisbon"
          {...invalidProps("title")}
        />
      </div>

      <div>
        <label htmlFor={ids.prompt} className="label">
          Prompt
        </label>
        <textarea
          id={ids.prompt}
          className={`${field} min-h-24 resize-y`}
          value={values.prompt}
          onChange={set("prompt")}
          required
          maxLength={PROMPT_MAX_LENGTH}
          rows={4}
          aria-describedby={ids.promptHelp}
          placeholder="Check for new direct flights Berlin to Lisbon under 100 EUR"
          {...invalidProps("prompt")}
        />
        <p id={ids.promptHelp} className={help}>
          What Mylo researches on each run, in depth, as in research mode. Each report is a new chat.
        </p>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={ids.frequency} className="label">
            Frequency
          </label>
          <select
            id={ids.frequency}
            className={field}
            value={values.frequency}
            onChange={(event) => {
              setValues((current) => ({ ...current, frequency: event.target.value as Frequency }));
              setInvalid(new Set());
            }}
            aria-describedby={preview ? ids.preview : undefined}
            {...invalidProps("frequency")}
          >
            {FREQUENCIES.map((frequency) => (
              <option key={frequency.value} value={frequency.value}>
                {frequency.label}
              </option>
            ))}
          </select>
        </div>

        {needs.includes("dayOfWeek") && (
          <div>
            <label htmlFor={ids.dayOfWeek} className="label">
              Day of week
            </label>
            <select
              id={ids.dayOfWeek}
              className={field}
              value={values.dayOfWeek}
              onChange={set("dayOfWeek")}
              {...invalidProps("dayOfWeek")}
            >
              {WEEK_ORDER.map((day) => (
                <option key={day} value={String(day)}>
                  {WEEKDAYS[day]}
                </option>
              ))}
            </select>
          </div>
        )}

        {needs.includes("dayOfMonth") && (
          <div>
            <label htmlFor={ids.dayOfMonth} className="label">
              Day of month
            </label>
            <select
              id={ids.dayOfMonth}
              className={field}
              value={values.dayOfMonth}
              onChange={set("dayOfMonth")}
              aria-describedby={ids.dayOfMonthHelp}
              {...invalidProps("dayOfMonth")}
            >
              {DAYS_OF_MONTH.map((day) => (
                <option key={day} value={String(day)}>
                  {day}
                </option>
              ))}
            </select>
            <p id={ids.dayOfMonthHelp} className={help}>
              In a month without this day, it runs on the month’s last day.
            </p>
          </div>
        )}

        {needs.includes("date") && (
          <div>
            <label htmlFor={ids.date} className="label">
              Date
            </label>
            <input
              id={ids.date}
              type="date"
              className={field}
              value={values.date}
              onChange={set("date")}
              required
              min={values.frequency === "once" ? dateIn(zone, new Date()) : undefined}
              aria-describedby={ids.dateHelp}
              {...invalidProps("date")}
            />
            <p id={ids.dateHelp} className={help}>
              {values.frequency === "once"
                ? "It runs once, on this day, then pauses."
                : "It runs every year on this day and month."}
            </p>
          </div>
        )}

        <div>
          <label htmlFor={ids.time} className="label">
            Time
          </label>
          <input
            id={ids.time}
            type="time"
            className={field}
            value={values.time}
            onChange={set("time")}
            required
            {...invalidProps("time")}
          />
        </div>

        <div className="sm:col-span-2">
          <label htmlFor={ids.timezone} className="label">
            Time zone
          </label>
          <input
            id={ids.timezone}
            className={field}
            value={values.timezone}
            onChange={set("timezone")}
            list={ids.zones}
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby={ids.timezoneHelp}
            {...invalidProps("timezone")}
          />
          <ZoneList id={ids.zones} current={initial.timezone} />
          <p id={ids.timezoneHelp} className={help}>
            The time above is local to this zone (an IANA name such as Europe/Berlin). This device’s zone is{" "}
            {browserTimeZone()}.
          </p>
        </div>
      </div>

      {preview && (
        <p id={ids.preview} className="text-sm">
          <span className="font-medium">Runs:</span> {preview}
        </p>
      )}

      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}

      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={submitting} aria-busy={submitting}>
          Save lookout
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={submitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}
