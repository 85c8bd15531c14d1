import type { FormEvent, KeyboardEvent } from "react";

interface ComposerProps {
  text: string;
  onText: (text: string) => void;
  busy: boolean;
  /** Sending is held back (typing is not), e.g. while the server is still stopping the last reply. */
  disabled?: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** The message box: Enter sends, Shift+Enter adds a line; Stop while a reply streams. */
export function Composer({ text, onText, busy, disabled = false, onSend, onStop }: ComposerProps) {
  const send = () => {
    const value = text.trim();
    if (!value || busy || disabled) return;
    onSend(value);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  return (
    <form onSubmit={submit} className="flex items-end gap-2">
      <label htmlFor="composer" className="sr-only">
        Message
      </label>
      <textarea
        id="composer"
        value={text}
        onChange={(event) => onText(event.target.value)}
        onKeyDown={keyDown}
        rows={2}
        maxLength={8000}
        placeholder="Ask Mylo about a trip…"
        className="input max-h-48 min-h-[2.75rem] flex-1 resize-y"
      />
      {busy ? (
        <button type="button" className="btn" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" className="btn-primary" disabled={disabled || !text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
