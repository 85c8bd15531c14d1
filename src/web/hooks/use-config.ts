import useSWR from "swr";
import { api } from "../lib/api";

/** What the server says is configured (social sign-in, billing, email verification). */
export function useAppConfig() {
  return useSWR("config", api.config, { revalidateOnFocus: false });
}
