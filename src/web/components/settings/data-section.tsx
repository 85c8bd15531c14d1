import { useRef, useState } from "react";
import { useSWRConfig } from "swr";
import { useLocation } from "wouter";
import { api } from "../../lib/api";
import { ApiError } from "../../lib/api-error";
import { authClient, signOut } from "../../lib/auth-client";
import { belongsToAccount, exportFileName } from "../../lib/settings";
import { ErrorAlert } from "../alert";
import { Section, StatusNote } from "./ui";

/** Hands the browser a file made in the page: an object URL behind a link with `download`. */
function download(name: string, contents: string, type: string) {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a moment later it has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportData() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const data = await api.exportMe();
      const name = exportFileName();
      download(name, JSON.stringify(data, null, 2), "application/json");
      setSaved(name);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="space-y-2">
      <p className="text-sm text-muted-foreground">
        Everything Mylo stores about you (account, chats and messages, lookouts, instructions, usage and billing
        records) as one JSON file.
      </p>
      <button type="button" className="btn" disabled={busy} aria-busy={busy} onClick={() => void run()}>
        Export my data
      </button>
      {saved && <StatusNote>Downloaded {saved}.</StatusNote>}
      <ErrorAlert error={error} />
    </div>
  );
}

function DeleteAccount({ pro }: { pro: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [askPassword, setAskPassword] = useState(false);
  const [password, setPassword] = useState("");
  const [, navigate] = useLocation();
  const { mutate } = useSWRConfig();

  const open = () => {
    setError(null);
    dialog.current?.showModal();
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteMe(askPassword ? password : undefined);
    } catch (caught) {
      // Signed in a while ago: the server wants the password before it deletes anything.
      if (caught instanceof ApiError && caught.code === "REAUTHENTICATION_REQUIRED") setAskPassword(true);
      setError(caught);
      setBusy(false);
      return;
    }
    dialog.current?.close();
    // The server ended the session with the account. The page forgets it in the same render that leaves
    // for "/": otherwise this signed-in-only page would send the visitor to sign in, or the home page would
    // still ask the API for the old session's chats.
    const session = authClient.$store.atoms.session;
    navigate("/", { replace: true });
    session?.set({ ...session.get(), data: null, error: null, isPending: false, isRefetching: false });
    await mutate(belongsToAccount, undefined, { revalidate: false });
    // Clears the now useless session cookie.
    await signOut();
  };

  return (
    <div className="space-y-2">
      <p className="text-sm text-muted-foreground">Deletes your account and everything in it. This cannot be undone.</p>
      <button type="button" className="btn-danger" onClick={open}>
        Delete account
      </button>
      <dialog
        ref={dialog}
        aria-label="Delete account"
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-border bg-background p-5 text-foreground shadow-xl backdrop:bg-black/50"
        onClose={() => setError(null)}
      >
        <div className="space-y-3">
          <h2 className="text-lg font-semibold">Delete your account?</h2>
          <p className="text-sm">
            This deletes your chats with their messages, your lookouts, your custom instructions, your usage and your
            sign-ins, then the account itself. It cannot be undone.
          </p>
          <p className="text-sm text-muted-foreground">
            Records of your subscriptions and payments are kept for accounting, no longer linked to you.
          </p>
          {pro && (
            <p className="text-sm font-medium">
              Deleting the account does not cancel a subscription with the payment provider: cancel it first under
              Manage subscription.
            </p>
          )}
          {askPassword && (
            <div>
              <label htmlFor="delete-password" className="label">
                Password
              </label>
              <input
                id="delete-password"
                type="password"
                autoComplete="current-password"
                className="input"
                maxLength={128}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </div>
          )}
          <ErrorAlert error={error} />
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className="btn" disabled={busy} onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="button" className="btn-danger" disabled={busy} aria-busy={busy} onClick={() => void remove()}>
              Yes, delete my account
            </button>
          </div>
        </div>
      </dialog>
    </div>
  );
}

export function DataSection({ pro }: { pro: boolean }) {
  return (
    <Section title="Your data">
      <ExportData />
      <div className="border-t border-border pt-3">
        <DeleteAccount pro={pro} />
      </div>
    </Section>
  );
}
