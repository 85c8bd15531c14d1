import { type FormEvent, useId, useState } from "react";
import useSWR from "swr";
import { api } from "../../lib/api";
import { INSTRUCTIONS_MAX } from "../../lib/settings";
import { ErrorAlert } from "../alert";
import { Section, StatusNote } from "./ui";

/** The traveller's one set of custom instructions, which the concierge reads before every reply. */
export function InstructionsSection() {
  const id = useId();
  const saved = useSWR("custom-instructions", api.instructions);
  const savedText = saved.data?.customInstructions?.content ?? "";
  // null while untouched: the field shows what is saved, including once it has loaded.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const value = draft ?? savedText;

  const run = async (work: () => Promise<void>, done: string) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await work();
      setDraft(null);
      setStatus(done);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const content = value.trim();
    if (!content) {
      setStatus(null);
      setError("Write your instructions first, or use Clear instructions to remove them.");
      return;
    }
    void run(async () => {
      const answer = await api.saveInstructions(content);
      await saved.mutate(answer, { revalidate: false });
    }, "Instructions saved. Mylo will follow them from your next message.");
  };

  const clear = () =>
    void run(async () => {
      await api.clearInstructions();
      await saved.mutate({ customInstructions: null }, { revalidate: false });
    }, "Instructions cleared.");

  return (
    <Section title="Custom instructions">
      <form className="space-y-2" onSubmit={save}>
        <label htmlFor={id} className="label">
          Custom instructions
        </label>
        <p id={`${id}-hint`} className="text-sm text-muted-foreground">
          What Mylo should know about how you travel: pace, budget, diet, accessibility, the currency you think in. Mylo
          reads this before every reply.
        </p>
        <textarea
          id={id}
          className="input min-h-32 resize-y"
          rows={6}
          maxLength={INSTRUCTIONS_MAX}
          value={value}
          disabled={saved.isLoading}
          aria-describedby={`${id}-hint ${id}-count`}
          onChange={(event) => {
            setDraft(event.target.value);
            setStatus(null);
          }}
        />
        <p id={`${id}-count`} className="text-right text-xs text-muted-foreground">
          {value.length.toLocaleString()} of {INSTRUCTIONS_MAX.toLocaleString()} characters
        </p>
        <ErrorAlert error={saved.error ?? error} />
        {status && <StatusNote>{status}</StatusNote>}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" disabled={busy || saved.isLoading}>
            Save instructions
          </button>
          <button type="button" className="btn" disabled={busy || saved.isLoading} onClick={clear}>
            Clear instructions
          </button>
        </div>
      </form>
    </Section>
  );
}
