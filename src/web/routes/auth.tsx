import { type FormEvent, useEffect, useState } from "react";
import { useSWRConfig } from "swr";
import { Link, useLocation, useSearch } from "wouter";
import { ErrorAlert } from "../components/alert";
import {
  afterSignUpPath,
  authCall,
  authPath,
  nextFrom,
  redirectErrorMessage,
  socialProvidersOf,
  verificationCallback,
} from "../components/auth/auth-flow";
import { AuthLayout, Field, Notice, PasswordField, SocialButtons } from "../components/auth/auth-layout";
import { useAppConfig } from "../hooks/use-config";
import { ApiError } from "../lib/api-error";
import { authClient, signIn, signUp, useSession } from "../lib/auth-client";
import { belongsToAccount } from "../lib/settings";

export type AuthKind = "sign-in" | "sign-up" | "forgot-password" | "reset-password" | "verify-email";

export function AuthPage({ kind }: { kind: AuthKind }) {
  switch (kind) {
    case "sign-in":
      return <SignIn />;
    case "sign-up":
      return <SignUp />;
    case "forgot-password":
      return <ForgotPassword />;
    case "reset-password":
      return <ResetPassword />;
    case "verify-email":
      return <VerifyEmail />;
  }
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

const linkClass = "rounded font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-100";

/**
 * After signing in: the session is read before leaving, so the page being opened already sees the
 * traveller (better-auth refreshes its own copy only a moment later), and nothing another session left
 * in the page's caches survives.
 */
function useEnter() {
  const session = useSession();
  const { mutate } = useSWRConfig();
  const [, navigate] = useLocation();
  return async (next: string) => {
    await session.refetch();
    await mutate(belongsToAccount, undefined, { revalidate: false });
    navigate(next, { replace: true });
  };
}

function SignIn() {
  const search = useSearch();
  const next = nextFrom(search);
  const config = useAppConfig();
  const enter = useEnter();
  const [error, setError] = useState<unknown>(() => redirectErrorMessage(search, "social"));
  const [unverified, setUnverified] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = text(form, "email").trim();
    setBusy(true);
    setError(null);
    setUnverified(null);
    try {
      await authCall(signIn.email({ email, password: text(form, "password") }));
      await enter(next);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.code === "AUTH_EMAIL_NOT_VERIFIED") setUnverified(email);
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in">
      <form className="space-y-3" onSubmit={submit}>
        <Field label="Email" name="email" type="email" required autoComplete="email" />
        <PasswordField isNew={false} />
        <div className="text-right text-sm">
          <Link href={authPath("/forgot-password", next)} className={linkClass}>
            Forgot password?
          </Link>
        </div>
        <ErrorAlert error={error} />
        {unverified && (
          <p className="text-sm">
            <Link href={authPath("/verify-email", next, { email: unverified })} className={linkClass}>
              Send a new verification link
            </Link>
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
      <SocialButtons providers={socialProvidersOf(config.data?.socialProviders)} next={next} />
      <p className="text-center text-sm text-muted-foreground">
        New to Mylo?{" "}
        <Link href={authPath("/sign-up", next)} className={linkClass}>
          Create an account
        </Link>
      </p>
    </AuthLayout>
  );
}

function SignUp() {
  const search = useSearch();
  const next = nextFrom(search);
  const config = useAppConfig();
  const enter = useEnter();
  const [, navigate] = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = text(form, "email").trim();
    setBusy(true);
    setError(null);
    try {
      const created = await authCall(
        signUp.email({
          name: text(form, "name").trim(),
          email,
          password: text(form, "password"),
          callbackURL: verificationCallback(next),
        }),
      );
      if (created?.token) {
        await enter(next);
        return;
      }
      navigate(
        afterSignUpPath({
          token: created?.token,
          requireEmailVerification: config.data?.requireEmailVerification,
          next,
          email,
        }),
      );
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Create your account">
      <form className="space-y-3" onSubmit={submit}>
        <Field label="Name" name="name" type="text" required autoComplete="name" />
        <Field label="Email" name="email" type="email" required autoComplete="email" />
        <PasswordField isNew />
        <ErrorAlert error={error} />
        <button type="submit" className="btn-primary w-full" disabled={busy} aria-busy={busy}>
          Create account
        </button>
      </form>
      <SocialButtons providers={socialProvidersOf(config.data?.socialProviders)} next={next} />
      <p className="text-center text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link href={authPath("/sign-in", next)} className={linkClass}>
          Sign in instead
        </Link>
      </p>
    </AuthLayout>
  );
}

function ForgotPassword() {
  const next = nextFrom(useSearch());
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = text(new FormData(event.currentTarget), "email").trim();
    setBusy(true);
    setError(null);
    try {
      await authCall(authClient.requestPasswordReset({ email, redirectTo: authPath("/reset-password", next) }));
      setSentTo(email);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Reset your password">
      {sentTo ? (
        // The server answers the same whether or not the address has an account, and so does the page.
        <Notice>
          If an account uses {sentTo}, a link to choose a new password is on its way. It works for one hour.
        </Notice>
      ) : (
        <p className="text-sm text-muted-foreground">
          Enter the email address of your account and we will send you a link to choose a new password.
        </p>
      )}
      <form className="space-y-3" onSubmit={submit}>
        <Field label="Email" name="email" type="email" required autoComplete="email" />
        <ErrorAlert error={error} />
        <button type="submit" className="btn-primary w-full" disabled={busy} aria-busy={busy}>
          {sentTo ? "Send another link" : "Send reset link"}
        </button>
      </form>
      <p className="text-center text-sm text-muted-foreground">
        Remembered it?{" "}
        <Link href={authPath("/sign-in", next)} className={linkClass}>
          Sign in instead
        </Link>
      </p>
    </AuthLayout>
  );
}

function ResetPassword() {
  const search = useSearch();
  const next = nextFrom(search);
  const token = new URLSearchParams(search).get("token");
  const linkError = redirectErrorMessage(search, "reset");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await authCall(
        authClient.resetPassword({ newPassword: text(new FormData(event.currentTarget), "password"), token }),
      );
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const requestAgain = (
    <Link href={authPath("/forgot-password", next)} className={linkClass}>
      Ask for a new link
    </Link>
  );

  return (
    <AuthLayout title="Choose a new password">
      {done ? (
        <>
          {/* Resetting signs every session out, so the new password is used right away. */}
          <Notice>Your password has been changed. Sign in with your new password.</Notice>
          <Link href={authPath("/sign-in", next)} className="btn-primary w-full">
            Sign in
          </Link>
        </>
      ) : linkError || !token ? (
        <>
          <ErrorAlert error={linkError ?? "This page needs the link from your password reset email."} />
          <p className="text-sm">{requestAgain}</p>
        </>
      ) : (
        <form className="space-y-3" onSubmit={submit}>
          <PasswordField label="New password" isNew />
          <ErrorAlert error={error} />
          {error instanceof ApiError &&
            (error.code === "AUTH_INVALID_TOKEN" || error.code === "AUTH_TOKEN_EXPIRED") && (
              <p className="text-sm">{requestAgain}</p>
            )}
          <button type="submit" className="btn-primary w-full" disabled={busy} aria-busy={busy}>
            Set new password
          </button>
        </form>
      )}
    </AuthLayout>
  );
}

function VerifyEmail() {
  const search = useSearch();
  const params = new URLSearchParams(search);
  const next = nextFrom(search);
  const session = useSession();
  const [, navigate] = useLocation();
  const user = session.data?.user;
  const knownEmail = params.get("email") ?? user?.email ?? "";
  const [error, setError] = useState<unknown>(() => redirectErrorMessage(search, "verify"));
  const [resentTo, setResentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verified = Boolean(user?.emailVerified);

  // The link in the email signs the traveller in and comes back here: from there, on to where they were going.
  useEffect(() => {
    if (verified) navigate(next, { replace: true });
  }, [verified, next, navigate]);

  const resend = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = (knownEmail || text(new FormData(event.currentTarget), "email")).trim();
    setBusy(true);
    setError(null);
    try {
      await authCall(authClient.sendVerificationEmail({ email, callbackURL: verificationCallback(next) }));
      setResentTo(email);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (verified) {
    return (
      <AuthLayout title="Email confirmed">
        <Notice>Your email address is confirmed. Taking you to Mylo…</Notice>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Check your inbox">
      <p className="text-sm">
        We sent a link to {knownEmail ? <strong className="break-all">{knownEmail}</strong> : "your email address"}.
        Open it to confirm your address and finish signing in. It works for 24 hours.
      </p>
      <p className="text-sm text-muted-foreground">Nothing there? Look in your spam folder, or send a new link.</p>
      {resentTo && <Notice>A new link is on its way to {resentTo}.</Notice>}
      <form className="space-y-3" onSubmit={resend}>
        {!knownEmail && <Field label="Email" name="email" type="email" required autoComplete="email" />}
        <ErrorAlert error={error} />
        <button type="submit" className="btn w-full" disabled={busy} aria-busy={busy}>
          Resend verification email
        </button>
      </form>
      <p className="text-center text-sm text-muted-foreground">
        Confirmed already?{" "}
        <Link href={authPath("/sign-in", next)} className={linkClass}>
          Sign in instead
        </Link>
      </p>
    </AuthLayout>
  );
}
