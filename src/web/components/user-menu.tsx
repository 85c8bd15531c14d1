import { useState } from "react";
import { useSWRConfig } from "swr";
import { useLocation } from "wouter";
import { signOut, useSession } from "../lib/auth-client";
import { belongsToAccount } from "../lib/settings";

/** The signed-in traveller's name and "Sign out" (in the header from small screens up, in the drawer below). */
export function UserMenu({ compact = false }: { compact?: boolean }) {
  const session = useSession();
  const [, navigate] = useLocation();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    setBusy(true);
    try {
      await signOut();
      // Nothing of this account stays in the page's caches.
      await mutate(belongsToAccount, undefined, { revalidate: false });
      navigate("/", { replace: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={compact ? "flex items-center gap-2" : "hidden items-center gap-2 sm:flex"}>
      <span className={`max-w-40 truncate text-sm text-muted-foreground ${compact ? "" : "hidden lg:inline"}`}>
        {session.data?.user.name}
      </span>
      <button type="button" className="btn" onClick={leave} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}
