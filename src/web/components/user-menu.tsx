import { useState } from "react";
import { useSWRConfig } from "swr";
import { useLocation } from "wouter";
import { signOut, useSession } from "../lib/auth-client";

export function UserMenu() {
  const session = useSession();
  const [, navigate] = useLocation();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    setBusy(true);
    try {
      await signOut();
      // Nothing of this account stays in the page's caches.
      await mutate(() => true, undefined, { revalidate: false });
      navigate("/", { replace: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex items-center gap-2">
      <span className="hidden max-w-40 truncate text-sm text-muted-foreground sm:inline">
        {session.data?.user.name}
      </span>
      <button type="button" className="btn" onClick={leave} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}
