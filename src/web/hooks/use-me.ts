import useSWR from "swr";
import { api } from "../lib/api";
import { useSession } from "../lib/auth-client";

/** The signed-in user's plan and usage (null when signed out). */
export function useMe() {
  const session = useSession();
  const signedIn = Boolean(session.data?.user);
  return useSWR(signedIn ? "me" : null, api.me);
}
