import { exports } from "cloudflare:workers";
import { createAuthClient } from "better-auth/client";
import { localOutbox, type Mail } from "../../src/services/mail/mailer";
import { BASE, TRUSTED_ORIGIN } from "./http";

/** A random client address per test client, so the auth rate limiter never couples tests. */
export function randomIp(): string {
  const part = () => Math.floor(Math.random() * 250) + 1;
  return `203.${part()}.${part()}.${part()}`;
}

/** Keeps cookies like a browser would, for requests sent straight to the Worker. */
export class CookieJar {
  private cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (!pair || index < 1) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /max-age=0\b/i.test(attribute.trim()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  get size(): number {
    return this.cookies.size;
  }
}

/** better-auth's own client, pointed at the Worker's fetch entry point. */
export function createTestAuthClient(options: { ip?: string; origin?: string; jar?: CookieJar } = {}) {
  const jar = options.jar ?? new CookieJar();
  const ip = options.ip ?? randomIp();
  let lastAuthToken: string | null = null;
  const client = createAuthClient({
    baseURL: BASE,
    fetchOptions: {
      customFetchImpl: async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        request.headers.set("origin", options.origin ?? TRUSTED_ORIGIN);
        request.headers.set("cf-connecting-ip", ip);
        const cookie = jar.header();
        if (cookie) request.headers.set("cookie", cookie);
        const response = await exports.default.fetch(request);
        jar.store(response);
        lastAuthToken = response.headers.get("set-auth-token") ?? lastAuthToken;
        return response;
      },
    },
  });
  return { client, jar, ip, bearerToken: () => lastAuthToken };
}

export function uniqueEmail(prefix = "traveller"): string {
  return `${prefix}-${crypto.randomUUID()}@example.test`;
}

/** The newest mail of a kind sent to an address through the local mailer. */
export function lastMail(to: string, kind: Mail["kind"]): Mail | undefined {
  return [...localOutbox].reverse().find((mail) => mail.to === to && mail.kind === kind);
}

export function tokenFromUrl(url: string): string {
  const parsed = new URL(url);
  const fromQuery = parsed.searchParams.get("token");
  if (fromQuery) return fromQuery;
  const last = parsed.pathname.split("/").pop();
  if (!last) throw new Error(`No token in ${url}`);
  return last;
}

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  jar: CookieJar;
  ip: string;
  /** Headers for a cookie-authenticated request from a trusted origin. */
  headers: Record<string, string>;
  /** The signed bearer token for API-client style requests. */
  bearer: string;
}

/** Signs up through the real endpoints, verifies the email from the captured mail, and signs in. */
export async function signUpVerified(name = "Test Traveller"): Promise<SignedInUser> {
  const email = uniqueEmail();
  const password = `pw-${crypto.randomUUID()}`;
  const { client, jar, ip, bearerToken } = createTestAuthClient();
  const signUp = await client.signUp.email({ email, password, name });
  if (signUp.error) throw new Error(`sign-up failed: ${JSON.stringify(signUp.error)}`);
  const mail = lastMail(email, "verify-email");
  if (!mail?.url) throw new Error("no verification mail captured");
  const verified = await client.verifyEmail({ query: { token: tokenFromUrl(mail.url) } });
  if (verified.error) throw new Error(`verify failed: ${JSON.stringify(verified.error)}`);
  const signIn = await client.signIn.email({ email, password });
  if (signIn.error || !signIn.data) throw new Error(`sign-in failed: ${JSON.stringify(signIn.error)}`);
  const bearer = bearerToken();
  if (!bearer) throw new Error("no set-auth-token header on sign-in");
  return {
    id: signIn.data.user.id,
    email,
    password,
    jar,
    ip,
    headers: { cookie: jar.header(), origin: TRUSTED_ORIGIN },
    bearer,
  };
}
