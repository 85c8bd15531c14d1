import { type ReactNode, useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { useSession } from "../lib/auth-client";
import { HistorySidebar } from "./history-sidebar";
import { MenuIcon } from "./icons";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

/** Header, the history sidebar (a drawer on small screens) for signed-in travellers, and the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const signedIn = Boolean(session.data?.user);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [location] = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing the drawer is the effect of navigating
  useEffect(() => setDrawerOpen(false), [location]);

  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-1 border-b border-border px-2 py-2 sm:gap-2 sm:px-3">
        {signedIn && (
          <button
            type="button"
            className="btn-ghost md:hidden"
            aria-label={drawerOpen ? "Close chat history" : "Open chat history"}
            aria-expanded={drawerOpen}
            aria-controls="history"
            onClick={() => setDrawerOpen((open) => !open)}
          >
            <MenuIcon />
          </button>
        )}
        <Link href="/" className="mr-auto flex items-center gap-2 font-semibold">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Mylo</span>
        </Link>
        {signedIn && (
          <nav aria-label="Main" className="flex items-center sm:gap-1">
            <Link href="/lookouts" className="btn-ghost">
              Lookouts
            </Link>
            <Link href="/settings" className="btn-ghost">
              Settings
            </Link>
          </nav>
        )}
        <ThemeToggle />
        {signedIn ? (
          <UserMenu />
        ) : (
          !session.isPending && (
            <Link href="/sign-in" className="btn">
              Sign in
            </Link>
          )
        )}
      </header>
      <div className="relative flex min-h-0 flex-1">
        {signedIn && (
          <>
            <aside
              id="history"
              className={`${drawerOpen ? "flex" : "hidden"} absolute inset-y-0 left-0 z-20 w-72 max-w-[85vw] flex-col border-r border-border bg-sidebar md:static md:flex`}
            >
              <HistorySidebar />
            </aside>
            {drawerOpen && (
              <button
                type="button"
                aria-label="Close chat history"
                tabIndex={-1}
                className="absolute inset-0 z-10 bg-black/30 md:hidden"
                onClick={() => setDrawerOpen(false)}
              />
            )}
          </>
        )}
        <main className="flex min-w-0 flex-1 flex-col overflow-y-auto">{children}</main>
      </div>
    </div>
  );
}
