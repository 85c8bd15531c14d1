/**
 * IP address parsing and classification for outbound URL checks, on ipaddr.js. Pure: no I/O, no app imports.
 *
 * Literals are first normalised by the WHATWG URL parser, so every IPv4 form a URL (or an older resolver)
 * accepts is recognised: one to four parts (`127.1`, `127.0.1`), whole numbers (`2130706433`), hex
 * (`0x7f000001`, `0x7f.1`) and octal (`017700000001`, `0177.0.0.01`), mixed per part.
 */
import ipaddr from "ipaddr.js";

/** The special-purpose ranges refused as targets, by the name a refusal gives; the first match names an address. */
const ipv4Ranges = {
  unspecified: ["0.0.0.0/8"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
  cgnat: ["100.64.0.0/10"],
  loopback: ["127.0.0.0/8"],
  "link-local": ["169.254.0.0/16"],
  documentation: ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"],
  // RFC 2544's network-device test range, under IANA's name for it.
  benchmarking: ["198.18.0.0/15"],
  multicast: ["224.0.0.0/4"],
  broadcast: ["255.255.255.255/32"],
  reserved: ["192.0.0.0/24", "192.88.99.0/24", "240.0.0.0/4"],
} as const;

const ipv6Ranges = {
  unspecified: ["::/128"],
  loopback: ["::1/128"],
  // Any address that carries an IPv4 address inside is refused outright: the host may translate it
  // to that IPv4 address, and no public service needs to be reached this way.
  "ipv4-mapped": ["::ffff:0:0/96"],
  "ipv4-compatible": ["::/96"],
  "ipv4-translated": ["::ffff:0:0:0/96"],
  "ipv4-embedded": ["64:ff9b::/32", "2001::/32"],
  discard: ["100::/64"],
  documentation: ["2001:db8::/32", "3ff0::/12"],
  "unique-local": ["fc00::/7"],
  "link-local": ["fe80::/10"],
  "site-local": ["fec0::/10"],
  multicast: ["ff00::/8"],
  reserved: ["2001::/23"],
} as const;

export type AddressRange = keyof typeof ipv4Ranges | keyof typeof ipv6Ranges;

type RangeList = Parameters<typeof ipaddr.subnetMatch>[1];

function compile<T extends string>(ranges: Record<T, readonly string[]>): RangeList {
  return Object.fromEntries(
    Object.entries<readonly string[]>(ranges).map(([name, cidrs]) => [
      name,
      cidrs.map((cidr) => ipaddr.parseCIDR(cidr)),
    ]),
  );
}
const compiledIPv4 = compile(ipv4Ranges);
const compiledIPv6 = compile(ipv6Ranges);
/** 6to4 addresses (2002::/16) carry an IPv4 address in their second and third groups. */
const sixToFour = ipaddr.parseCIDR("2002::/16");

const PUBLIC = "public";

/** The 32-bit value of an IPv4 address in any WHATWG-accepted encoding, or undefined if it is not one. */
export function parseIPv4(input: string): number | undefined {
  const host = input.trim();
  // Only what can make up an IPv4 literal, so the URL parser sees nothing but a host.
  if (!/^[0-9a-fx.]+$/i.test(host)) return undefined;
  let normalised: string;
  try {
    normalised = new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(normalised)) return undefined;
  return ipaddr.IPv4.parse(normalised)
    .toByteArray()
    .reduce((address, byte) => address * 256 + byte, 0);
}

/** True when the last dot-separated label is numeric, which makes a URL parser treat the host as IPv4. */
export function looksLikeIPv4(host: string): boolean {
  const labels = host.replace(/\.$/, "").split(".");
  const last = labels[labels.length - 1] ?? "";
  return /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

export function formatIPv4(address: number): string {
  return ipv4Of(address).toString();
}

function ipv4Of(address: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([24, 16, 8, 0].map((shift) => (address >>> shift) & 255));
}

/** Eight 16-bit groups, or undefined. Accepts brackets, `::` compression and a dotted IPv4 tail; refuses zone ids. */
export function parseIPv6(input: string): number[] | undefined {
  let host = input.trim();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (!host.includes(":") || !/^[0-9a-f:.]+$/i.test(host)) return undefined;
  // The URL parser first, as for IPv4: ipaddr.js would read the deprecated `::a.b.c.d` as IPv4-mapped.
  let normalised: string;
  try {
    normalised = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  return ipaddr.IPv6.isValid(normalised) ? ipaddr.IPv6.parse(normalised).parts : undefined;
}

/** The special-purpose range an IPv4 address falls in, or undefined when it is publicly routable. */
export function classifyIPv4(address: number): AddressRange | undefined {
  const range = ipaddr.subnetMatch(ipv4Of(address), compiledIPv4, PUBLIC);
  return range === PUBLIC ? undefined : (range as AddressRange);
}

/** The special-purpose range an IPv6 address falls in, or undefined when it is publicly routable. */
export function classifyIPv6(groups: number[]): AddressRange | undefined {
  const address = new ipaddr.IPv6(groups);
  if (address.match(sixToFour)) {
    const [, high = 0, low = 0] = groups;
    return classifyIPv4(((high << 16) | low) >>> 0) ? "ipv4-embedded" : undefined;
  }
  const range = ipaddr.subnetMatch(address, compiledIPv6, PUBLIC);
  return range === PUBLIC ? undefined : (range as AddressRange);
}

export type HostKind = { kind: "ipv4"; address: number } | { kind: "ipv6"; groups: number[] } | { kind: "name" };

/** Tells an IP literal (in any encoding) from a domain name. */
export function parseHost(host: string): HostKind {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith("[") || trimmed.includes(":")) {
    const groups = parseIPv6(trimmed);
    return groups ? { kind: "ipv6", groups } : { kind: "name" };
  }
  const address = parseIPv4(trimmed);
  return address === undefined ? { kind: "name" } : { kind: "ipv4", address };
}
