import { lazy, type ReactNode, Suspense, useEffect } from "react";
import { SWRConfig } from "swr";
import { Redirect, Route, Switch, useLocation, useSearch } from "wouter";
import { AppShell } from "./components/app-shell";
import { onUnauthorized } from "./lib/api";
import { useSession } from "./lib/auth-client";
import { signInPath } from "./lib/safe-next";
import { AuthPage } from "./routes/auth";
import { NotFound } from "./routes/not-found";

// The chat view carries the AI SDK and, lazily again, the Markdown renderer: a chunk of its own.
const ChatRoute = lazy(() => import("./routes/chat"));
const LookoutsRoute = lazy(() => import("./routes/lookouts"));
const LookoutRoute = lazy(() => import("./routes/lookout"));
const SettingsRoute = lazy(() => import("./routes/settings"));

function Loading() {
  return (
    <p className="p-6 text-sm text-muted-foreground" aria-live="polite">
      Loading…
    </p>
  );
}

/** Sends a signed-out visitor to sign in, and back here afterwards. */
function RequireUser({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (session.isPending) return <Loading />;
  if (!session.data?.user) return <Redirect to={signInPath(`${location}${search ? `?${search}` : ""}`)} replace />;
  return <>{children}</>;
}

/** An expired session anywhere: to sign in, then back. */
function UnauthorizedRedirect() {
  const [, navigate] = useLocation();
  const session = useSession();
  useEffect(
    () =>
      onUnauthorized(() => {
        const here = `${window.location.pathname}${window.location.search}`;
        if (here.startsWith("/sign-in")) return;
        void session.refetch();
        navigate(signInPath(here), { replace: true });
      }),
    [navigate, session],
  );
  return null;
}

export function App() {
  return (
    <SWRConfig value={{ revalidateOnFocus: false, shouldRetryOnError: false }}>
      <UnauthorizedRedirect />
      <Switch>
        <Route path="/sign-in">
          <AuthPage kind="sign-in" />
        </Route>
        <Route path="/sign-up">
          <AuthPage kind="sign-up" />
        </Route>
        <Route path="/forgot-password">
          <AuthPage kind="forgot-password" />
        </Route>
        <Route path="/reset-password">
          <AuthPage kind="reset-password" />
        </Route>
        <Route path="/verify-email">
          <AuthPage kind="verify-email" />
        </Route>
        <Route>
          <AppShell>
            <Suspense fallback={<Loading />}>
              <Switch>
                <Route path="/">
                  <ChatRoute />
                </Route>
                <Route path="/chat/:id">{(params) => <ChatRoute chatId={params.id} />}</Route>
                <Route path="/lookouts">
                  <RequireUser>
                    <LookoutsRoute />
                  </RequireUser>
                </Route>
                <Route path="/lookouts/:id">
                  {(params) => (
                    <RequireUser>
                      <LookoutRoute id={params.id} />
                    </RequireUser>
                  )}
                </Route>
                <Route path="/settings">
                  <RequireUser>
                    <SettingsRoute />
                  </RequireUser>
                </Route>
                <Route>
                  <NotFound />
                </Route>
              </Switch>
            </Suspense>
          </AppShell>
        </Route>
      </Switch>
    </SWRConfig>
  );
}
