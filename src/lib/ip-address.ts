/**
 * IP address parsing and classification for outbound URL checks. Pure: no I/O, no app imports.
 *
 * IPv4 parsing follows the WHATWG URL "IPv4 parser", so every form a URL parser (or an older resolver)
 * accepts is recognised: dotted decimal, one to four parts (`127.1`, `127.0.1`), whole numbers
 * (`2130706433`), hex (`0x7f000001`, `0x7f.1`) and octal (`017700000001`, `0177.0.0.01`), mixed per part.
 */

export type AddressRange =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "unique-local"
  | "site-local"
  | "ipv4-mapped"
  | "ipv4-compatible"
  | "ipv4-translated"
  | "ipv4-embedded"
  | "discard";

function parseIPv4Part(part: string): number | undefined {
  if (part.length === 0) return undefined;
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
    if (digits.length === 0) return 0;
  } else if (part.length > 1 && part.startsWith("0")) {
    radix = 8;
    digits = part.slice(1);
  }
  const pattern = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!pattern.test(digits)) return undefined;
  const value = Number.parseInt(digits, radix);
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/** The 32-bit value of an IPv4 address in any WHATWG-accepted encoding, or undefined if it is not one. */
export function parseIPv4(input: string): number | undefined {
  let host = input.trim();
  if (host.endsWith(".")) host = host.slice(0, -1);
  const parts = host.split(".");
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIPv4Part(part);
    if (value === undefined) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() as number;
  if (numbers.some((value) => value > 255)) return undefined;
  if (last >= 256 ** (4 - numbers.length)) return undefined;
  let address = last;
  numbers.forEach((value, index) => {
    address += value * 256 ** (3 - index);
  });
  return address;
}

/** True when the last dot-separated label is numeric, which makes a URL parser treat the host as IPv4. */
export function looksLikeIPv4(host: string): boolean {
  const labels = host.replace(/\.$/, "").split(".");
  const last = labels[labels.length - 1] ?? "";
  return /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

export function formatIPv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

/** Eight 16-bit groups, or undefined. Accepts brackets, `::` compression and a dotted IPv4 tail; refuses zone ids. */
export function parseIPv6(input: string): number[] | undefined {
  let host = input.trim();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host.length === 0 || host.includes("%") || !/^[0-9a-f:.]+$/i.test(host)) return undefined;

  const lastColon = host.lastIndexOf(":");
  if (lastColon === -1) return undefined;
  const maybeV4 = host.slice(lastColon + 1);
  if (maybeV4.includes(".")) {
    // A dotted IPv4 tail stands for the last two groups.
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(maybeV4)) return undefined;
    const octets = maybeV4.split(".").map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    host = `${host.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }

  const halves = host.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (text: string): number[] | undefined => {
    if (text.length === 0) return [];
    const groups = text.split(":");
    const out: number[] = [];
    for (const group of groups) {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
      out.push(Number.parseInt(group, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? "");
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? "") : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
  }
  if (explicit !== 8) return undefined;
  return head;
}

const ipv4Ranges: Array<[base: string, prefix: number, range: AddressRange]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["255.255.255.255", 32, "broadcast"],
  ["240.0.0.0", 4, "reserved"],
];

const compiledIPv4Ranges = ipv4Ranges.map(([base, prefix, range]) => {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (parseIPv4(base) as number) & mask, mask, range };
});

/** The special-purpose range an IPv4 address falls in, or undefined when it is publicly routable. */
export function classifyIPv4(address: number): AddressRange | undefined {
  for (const { network, mask, range } of compiledIPv4Ranges) {
    if ((address & mask) >>> 0 === network >>> 0) return range;
  }
  return undefined;
}

function embeddedIPv4(groups: number[], fromGroup: number): number {
  return (((groups[fromGroup] ?? 0) << 16) | (groups[fromGroup + 1] ?? 0)) >>> 0;
}

/** The special-purpose range an IPv6 address falls in, or undefined when it is publicly routable. */
export function classifyIPv6(groups: number[]): AddressRange | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0 && g6 === 0) {
    if (g7 === 0) return "unspecified";
    if (g7 === 1) return "loopback";
  }
  // Any address that carries an IPv4 address inside is refused outright: the host may translate it
  // to that IPv4 address, and no public service needs to be reached this way.
  if (firstFiveZero && g5 === 0xffff) return "ipv4-mapped";
  if (firstFiveZero && g5 === 0) return "ipv4-compatible";
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return "ipv4-translated";
  if (g0 === 0x64 && g1 === 0xff9b) return "ipv4-embedded";
  if (g0 === 0x2002) {
    return classifyIPv4(embeddedIPv4(groups, 1)) ? "ipv4-embedded" : undefined;
  }
  if (g0 === 0x2001 && g1 === 0) return "ipv4-embedded";
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "discard";
  if (g0 === 0x2001 && g1 === 0x0db8) return "documentation";
  if ((g0 & 0xfff0) === 0x3ff0) return "documentation";
  if ((g0 & 0xfe00) === 0xfc00) return "unique-local";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "site-local";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && g1 < 0x0200) return "reserved";
  return undefined;
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
