import { useEffect, useRef, useState } from "react";
import useSWR from "swr";
import { refreshChats } from "../../hooks/use-chats";
import { api } from "../../lib/api";
import { ErrorAlert } from "../alert";

/** Switches a chat between private and public, and copies its link. */
export function ShareDialog({ chatId, onClose }: { chatId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const chat = useSWR(["chat", chatId], () => api.chat(chatId));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [copied, setCopied] = useState(false);
  const link = `${window.location.origin}/chat/${chatId}`;
  const isPublic = chat.data?.visibility === "public";

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const toggle = async () => {
    setSaving(true);
    setError(null);
    try {
      const updated = await api.updateChat(chatId, { visibility: isPublic ? "private" : "public" });
      await chat.mutate(updated, { revalidate: false });
      void refreshChats();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // Without clipboard access the link stays selected in its field for copying by hand.
      document.getElementById("share-link")?.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="share-title"
      onClose={onClose}
      onCancel={onClose}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-border bg-background p-5 text-foreground backdrop:bg-black/40"
    >
      <h2 id="share-title" className="mb-3 text-lg font-semibold">
        Share chat
      </h2>
      <div className="mb-4 flex items-center justify-between gap-3">
        <div>
          <p id="public-label" className="font-medium">
            Public
          </p>
          <p className="text-sm text-muted-foreground">
            {isPublic ? "Anyone with the link can read this chat." : "Only you can see this chat."}
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={isPublic}
          aria-labelledby="public-label"
          disabled={saving || !chat.data}
          onClick={toggle}
          className={`relative h-6 w-11 shrink-0 rounded-full transition-colors ${isPublic ? "bg-brand-700" : "bg-slate-300 dark:bg-slate-600"}`}
        >
          <span
            aria-hidden="true"
            className={`absolute top-0.5 left-0.5 h-5 w-5 rounded-full bg-white transition-transform ${isPublic ? "translate-x-5" : ""}`}
          />
        </button>
      </div>
      <label htmlFor="share-link" className="label">
        Link
      </label>
      <div className="mb-3 flex gap-2">
        <input
          id="share-link"
          readOnly
          value={link}
          className="input min-w-0 flex-1"
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="btn" onClick={copy}>
          Copy link
        </button>
      </div>
      {copied && (
        <p role="status" className="mb-2 text-sm text-emerald-700 dark:text-emerald-300">
          Link copied.
        </p>
      )}
      <ErrorAlert error={error} />
      <div className="mt-3 flex justify-end">
        <button type="button" className="btn" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
