import type { Config } from "../../env";
import { AUTH_BASE_PATH, buildAuth, type SharedAuth } from "./auth-options";
import { bearerAsSessionCookie, foundVia } from "./bearer-as-cookie";
import { limitSignInPerAccount } from "./limit-sign-in";
import { type AuthContext, inRequestScope } from "./request-scope";

export { SESSION_DAYS } from "./auth-options";
export type { AuthContext } from "./request-scope";

type SessionWithUser = Awaited<ReturnType<SharedAuth["api"]["getSession"]>>;

/** The parts of better-auth the app uses, bound to one request. */
export interface Auth {
  handler(request: Request): Promise<Response>;
  api: {
    /**
     * The caller's session, and the cookies better-auth set while checking it: when a session is due
     * for its daily refresh, its row is extended and its cookie reissued, which the caller must pass on.
     */
    getSession(input: {
      headers: Headers;
    }): Promise<{ found: SessionWithUser; setCookies: string[]; via: "cookie" | "bearer" }>;
    /** Whether `password` is the user's email-and-password credential, as better-auth checks it. */
    verifyPassword(input: { userId: string; password: string }): Promise<boolean>;
  };
}

const sharedByConfig = new WeakMap<Config, SharedAuth>();

function sharedAuth(config: Config): SharedAuth {
  let shared = sharedByConfig.get(config);
  if (!shared) {
    shared = buildAuth(config);
    sharedByConfig.set(config, shared);
  }
  return shared;
}

/** better-auth's cookie names for `config` (a session check reads the session cookie, or acts on the others). */
export async function authCookiesFor(config: Config) {
  return (await sharedAuth(config).$context).authCookies;
}

/**
 * better-auth on the seed's tables, for one request: its shared configuration (auth-options.ts), with
 * the request's own parts lent to it for the duration of each call (request-scope.ts).
 */
export function createAuth(context: AuthContext): Auth {
  const auth = sharedAuth(context.config);
  const inScope = <T>(fn: () => T) => inRequestScope(context, fn);
  const sessionCookieName = async () => (await auth.$context).authCookies.sessionToken.name;
  return {
    handler: (request) =>
      inScope(() =>
        limitSignInPerAccount({ db: context.db, basePath: AUTH_BASE_PATH }, request, (forwarded) =>
          auth.handler(forwarded),
        ),
      ),
    api: {
      getSession: async (input) => {
        const headers = await bearerAsSessionCookie(input.headers, sessionCookieName);
        const answer = await inScope(() => auth.api.getSession({ headers, returnHeaders: true }));
        const found = answer.response as SessionWithUser;
        const via = found ? foundVia(input.headers, found.session.token, await sessionCookieName()) : "cookie";
        return { found, setCookies: answer.headers.getSetCookie(), via };
      },
      verifyPassword: ({ userId, password }) =>
        inScope(async () => {
          const shared = await auth.$context;
          const credential = await shared.internalAdapter.findCredentialAccount(userId);
          if (!credential?.password) return false;
          return shared.password.verify({ hash: credential.password, password });
        }),
    },
  };
}
