export type AuthKind = "sign-in" | "sign-up" | "forgot-password" | "reset-password" | "verify-email";
export function AuthPage({ kind }: { kind: AuthKind }) {
  return <p className="p-6">{kind}</p>;
}
