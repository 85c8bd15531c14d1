import { classifyIPv4, classifyIPv6, formatIPv4, looksLikeIPv4, parseHost } from "../lib/ip-address";
import { OutboundRequestError } from "./errors";

/**
 * Names that resolve to the machine itself or to a private network by convention, plus public
 * wildcard-DNS services whose whole purpose is to resolve names to an embedded (often private) IP.
 */
const blockedSuffixes = [
  "localhost",
  "local",
  "internal",
  "localdomain",
  "home.arpa",
  "lan",
  "intranet",
  "corp",
  "private",
  "localtest.me",
  "lvh.me",
  "nip.io",
  "sslip.io",
  "xip.io",
];

/** A refused URL; `reason` says why in words fit for the person who sent it. */
export class UrlRefusedError extends OutboundRequestError {
  readonly reason: string;

  constructor(url: string, reason: string) {
    super("URL_REFUSED", `Refused to fetch ${url}: ${reason}`);
    this.reason = reason;
  }
}

function refuse(url: string, reason: string): never {
  throw new UrlRefusedError(url, reason);
}

function describeUrl(input: string | URL): string {
  const text = String(input);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export interface UrlPolicyOptions {
  /** The app's own hosts (BETTER_AUTH_URL's): its API is not a public target for its own tools. */
  ownHosts?: readonly string[];
}

/** The only ports a URL from a user or the model may name: other ports are where internal services listen. */
const allowedPorts = new Set(["", "80", "443"]);

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

/** The app's own host names, from its public base URL. */
export function appHostsOf(config: { BETTER_AUTH_URL?: string }): string[] {
  if (!config.BETTER_AUTH_URL) return [];
  try {
    return [normalizeHost(new URL(config.BETTER_AUTH_URL).hostname)];
  } catch {
    return [];
  }
}

/**
 * Checks a URL that came from the model or a user before any request leaves. Hostnames are checked
 * syntactically: a Worker's `fetch` resolves DNS itself and cannot report the address it connected to,
 * so a public name that resolves to a private address is not caught here. On Workers the egress cannot
 * reach the operator's private networks anyway; the check keeps literal and conventional internal
 * targets (metadata services, loopback, RFC 1918) out in every runtime. Only the standard ports are
 * allowed, and never the app's own host, whose API would otherwise answer with the traveller's data.
 */
export function assertPublicUrl(input: string | URL, options: UrlPolicyOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    refuse(describeUrl(input), "not a valid absolute URL");
  }
  const redacted = new URL(url.href);
  redacted.username = "";
  redacted.password = "";
  const shown = describeUrl(redacted.href);
  if (url.protocol !== "http:" && url.protocol !== "https:") refuse(shown, "only http and https are allowed");
  if (url.username !== "" || url.password !== "") refuse(shown, "credentials in URLs are not allowed");

  if (!allowedPorts.has(url.port)) refuse(shown, "only ports 80 and 443 are allowed");

  const host = normalizeHost(url.hostname);
  if (host.length === 0) refuse(shown, "no host");
  if (options.ownHosts?.includes(host)) refuse(shown, "it is this app's own address");

  const parsed = parseHost(host);
  if (parsed.kind === "ipv4") {
    const range = classifyIPv4(parsed.address);
    if (range) refuse(shown, `${formatIPv4(parsed.address)} is a ${range} address`);
    return url;
  }
  if (parsed.kind === "ipv6") {
    const range = classifyIPv6(parsed.groups);
    if (range) refuse(shown, `the IPv6 address is ${range}`);
    return url;
  }
  if (host.startsWith("[") || host.includes(":")) refuse(shown, "malformed IPv6 address");
  // A numeric last label that did not parse as IPv4 is something a resolver might still read as an address.
  if (looksLikeIPv4(host)) refuse(shown, "ambiguous numeric host");
  if (!host.includes(".")) refuse(shown, "single-label host names are internal");
  for (const suffix of blockedSuffixes) {
    if (host === suffix || host.endsWith(`.${suffix}`)) refuse(shown, `.${suffix} names are internal`);
  }
  return url;
}

/** Why the URL is refused, or undefined when it may be fetched. */
export function publicUrlProblem(input: string | URL, options: UrlPolicyOptions = {}): string | undefined {
  try {
    assertPublicUrl(input, options);
    return undefined;
  } catch (error) {
    return error instanceof UrlRefusedError ? error.reason : "not a valid URL";
  }
}
