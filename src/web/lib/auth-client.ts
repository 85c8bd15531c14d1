import { createAuthClient } from "better-auth/react";

/** better-auth's own client, same origin (no base URL): cookie sessions only, nothing kept in web storage. */
export const authClient = createAuthClient();

export const { useSession, signIn, signUp, signOut } = authClient;
