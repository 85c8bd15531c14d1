import { type InputHTMLAttributes, type ReactNode, useEffect, useId, useState } from "react";
import { Link } from "wouter";
import { signIn } from "../../lib/auth-client";
import { ErrorAlert } from "../alert";
import { ThemeToggle } from "../theme-toggle";
import { authCall, authPath, type SocialProvider, socialLabel } from "./auth-flow";

/** The account pages live outside the app's shell: a small centred card under the Mylo name. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Mylo`;
  }, [title]);
  return (
    <div className="flex min-h-full flex-col items-center px-4 py-8 sm:justify-center">
      <div className="w-full max-w-sm">
        <header className="mb-4 flex items-center justify-between">
          <Link href="/" className="flex items-center gap-2 rounded-lg text-lg font-semibold">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>Mylo</span>
          </Link>
          <ThemeToggle />
        </header>
        <main className="card space-y-4 shadow-sm dark:shadow-none">
          <h1 className="text-xl font-semibold">{title}</h1>
          {children}
        </main>
      </div>
    </div>
  );
}

type FieldProps = { label: string; hint?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "className">;

/** A labelled input; a hint is tied to it with aria-describedby so it is read with the field. */
export function Field({ label, hint, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input id={id} className="input" aria-describedby={hint ? hintId : undefined} {...input} />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The server's own bounds for passwords (src/services/auth/create-auth.ts). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function PasswordField({
  label = "Password",
  isNew,
  hint,
}: {
  label?: string;
  /** A password being chosen (sign-up, reset) rather than one being typed from memory. */
  isNew: boolean;
  hint?: string;
}) {
  return (
    <Field
      label={label}
      name="password"
      type="password"
      required
      minLength={PASSWORD_MIN}
      maxLength={PASSWORD_MAX}
      autoComplete={isNew ? "new-password" : "current-password"}
      hint={hint ?? (isNew ? `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.` : undefined)}
    />
  );
}

/** Social sign-in, only for the providers the server has credentials for. */
export function SocialButtons({ providers, next }: { providers: SocialProvider[]; next: string }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<SocialProvider | null>(null);
  if (providers.length === 0) return null;
  const start = async (provider: SocialProvider) => {
    setBusy(provider);
    setError(null);
    try {
      // better-auth's client follows the provider's address itself once it has it.
      await authCall(signIn.social({ provider, callbackURL: next, errorCallbackURL: authPath("/sign-in", next) }));
    } catch (caught) {
      setError(caught);
      setBusy(null);
    }
  };
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden="true">
        <span className="h-px flex-1 bg-border" />
        or
        <span className="h-px flex-1 bg-border" />
      </div>
      {providers.map((provider) => (
        <button
          key={provider}
          type="button"
          className="btn w-full"
          disabled={busy !== null}
          onClick={() => void start(provider)}
        >
          {socialLabel(provider)}
        </button>
      ))}
      <ErrorAlert error={error} />
    </div>
  );
}

/** A confirmation that something worked, announced by screen readers. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p
      role="status"
      className="rounded-lg border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-900 dark:border-brand-900 dark:bg-brand-900/40 dark:text-brand-50"
    >
      {children}
    </p>
  );
}
