import { describe, expect, it } from "vitest";
import { classifyIPv4, classifyIPv6, formatIPv4, parseHost, parseIPv4, parseIPv6 } from "../../src/lib/ip-address";

describe("parseIPv4 (WHATWG forms, raw and unnormalised)", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["017700000001", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.1", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.01", "127.0.0.1"],
    ["0x7f.0.0x0.1", "127.0.0.1"],
    ["0xA9.0xFE.0xA9.0xFE", "169.254.169.254"],
    ["10.0.0.1.", "10.0.0.1"],
    ["0", "0.0.0.0"],
    ["1.2.3.0x", "1.2.3.0"],
    ["8.8.8.8", "8.8.8.8"],
  ])("%s → %s", (input, expected) => {
    const address = parseIPv4(input);
    expect(address).toBeDefined();
    expect(formatIPv4(address as number)).toBe(expected);
  });

  it.each(["example.com", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "4294967296", "", "1..2"])(
    "refuses %s as an IPv4 address",
    (input) => {
      expect(parseIPv4(input)).toBeUndefined();
    },
  );
});

describe("parseIPv6", () => {
  it.each([
    ["::1", [0, 0, 0, 0, 0, 0, 0, 1]],
    ["[::1]", [0, 0, 0, 0, 0, 0, 0, 1]],
    ["::", [0, 0, 0, 0, 0, 0, 0, 0]],
    ["::ffff:127.0.0.1", [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ["::ffff:7f00:1", [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ["fe80::1", [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ["2001:db8:0:0:0:0:2:1", [0x2001, 0xdb8, 0, 0, 0, 0, 2, 1]],
    ["2606:4700::1111", [0x2606, 0x4700, 0, 0, 0, 0, 0, 0x1111]],
  ])("%s", (input, groups) => {
    expect(parseIPv6(input)).toEqual(groups);
  });

  it.each(["1::2::3", "fe80::1%eth0", "12345::", "1:2:3:4:5:6:7:8:9", "::ffff:999.0.0.1", "example.com"])(
    "refuses %s",
    (input) => {
      expect(parseIPv6(input)).toBeUndefined();
    },
  );
});

describe("classification", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "cgnat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.1", "documentation"],
    ["198.18.0.1", "benchmarking"],
  ])("%s is %s", (input, range) => {
    expect(classifyIPv4(parseIPv4(input) as number)).toBe(range);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "93.184.216.34"])("%s is public", (input) => {
    expect(classifyIPv4(parseIPv4(input) as number)).toBeUndefined();
  });

  it.each([
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["::ffff:127.0.0.1", "ipv4-mapped"],
    ["::ffff:8.8.8.8", "ipv4-mapped"],
    ["::127.0.0.1", "ipv4-compatible"],
    ["64:ff9b::7f00:1", "ipv4-embedded"],
    ["2002:7f00:1::", "ipv4-embedded"],
    ["fd00::1", "unique-local"],
    ["fc00::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
  ])("%s is %s", (input, range) => {
    expect(classifyIPv6(parseIPv6(input) as number[])).toBe(range);
  });

  it.each(["2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2002:808:808::"])("%s is public", (input) => {
    expect(classifyIPv6(parseIPv6(input) as number[])).toBeUndefined();
  });

  it("tells literals from names", () => {
    expect(parseHost("[::1]").kind).toBe("ipv6");
    expect(parseHost("0x7f000001").kind).toBe("ipv4");
    expect(parseHost("example.com").kind).toBe("name");
  });
});
