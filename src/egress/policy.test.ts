import { describe, expect, it } from "vitest";
import { parseCidr, parseHost, parseIp } from "./ip.js";
import { EgressPolicy, classifyAddress } from "./policy.js";

describe("parseHost: every IPv4/IPv6 spelling the URL parser normalises", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.1", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["0X7F000001", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0x7f.0.0.1", "127.0.0.1"],
    ["127.000.000.001", "127.0.0.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["0", "0.0.0.0"],
    ["0xa9fea9fe", "169.254.169.254"],
    ["2852039166", "169.254.169.254"],
    ["[::1]", "::1"],
    ["::1", "::1"],
    ["[0:0:0:0:0:0:0:1]", "::1"],
    ["[::]", "::"],
    ["[::ffff:127.0.0.1]", "::ffff:7f00:1"],
    ["[::ffff:7f00:1]", "::ffff:7f00:1"],
    ["[0:0:0:0:0:ffff:127.0.0.1]", "::ffff:7f00:1"],
    ["[::127.0.0.1]", "::7f00:1"],
  ])("%s is the IP %s", (input, expected) => {
    const host = parseHost(input);
    expect(host).toMatchObject({ kind: "ip", ip: { text: expected } });
  });

  it("names are lower-cased without trailing dots; junk is rejected", () => {
    expect(parseHost("LocalHost.")).toEqual({ kind: "name", name: "localhost" });
    expect(parseHost("Example.COM")).toEqual({ kind: "name", name: "example.com" });
    for (const bad of ["", "a b", "x/y", "user@x", "example.com:80", "[::1]:80", "1.2.3.4.5", "[::1"]) {
      expect(parseHost(bad), bad).toBeUndefined();
    }
  });

  it("parseIp is strict and parseCidr masks", () => {
    expect(parseIp("127.1")).toBeUndefined();
    expect(parseIp("fe80::1%eth0")).toMatchObject({ family: 6, text: "fe80::1" });
    expect(Array.from(parseIp("::ffff:1.2.3.4")!.bytes)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(parseCidr("10.1.2.3/8")?.text).toBe("10.0.0.0/8");
    expect(parseCidr("fd12:3456::1/8")?.text).toBe("fd00::/8");
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("::/129")).toBeUndefined();
  });
});

describe("classifyAddress: default refusals", () => {
  // [address, expected reason fragment]
  const refused: [string, string][] = [
    // loopback, in every spelling
    ["127.0.0.1", "loopback range 127.0.0.0/8"],
    ["127.255.255.254", "loopback range 127.0.0.0/8"],
    ["127.1", "loopback range 127.0.0.0/8"],
    ["0x7f000001", "loopback range 127.0.0.0/8"],
    ["2130706433", "loopback range 127.0.0.0/8"],
    ["0177.0.0.1", "loopback range 127.0.0.0/8"],
    ["::1", "loopback address ::1"],
    ["[::1]", "loopback address ::1"],
    // unspecified
    ["0.0.0.0", "unspecified range 0.0.0.0/8"],
    ["0", "unspecified range 0.0.0.0/8"],
    ["0.255.255.255", "unspecified range 0.0.0.0/8"],
    ["::", "unspecified address ::"],
    // private
    ["10.0.0.0", "private range 10.0.0.0/8"],
    ["10.0.0.5", "private range 10.0.0.0/8"],
    ["10.255.255.255", "private range 10.0.0.0/8"],
    ["172.16.0.1", "private range 172.16.0.0/12"],
    ["172.31.255.255", "private range 172.16.0.0/12"],
    ["192.168.0.1", "private range 192.168.0.0/16"],
    ["192.168.255.255", "private range 192.168.0.0/16"],
    ["fc00::1", "private (unique local) range fc00::/7"],
    ["fd00::1", "private (unique local) range fc00::/7"],
    ["fd00:ec2::254", "private (unique local) range fc00::/7"],
    ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private (unique local) range fc00::/7"],
    // link-local and cloud metadata
    ["169.254.169.254", "cloud metadata (link-local) address 169.254.169.254"],
    ["0xa9fea9fe", "cloud metadata (link-local) address 169.254.169.254"],
    ["169.254.0.1", "link-local range 169.254.0.0/16"],
    ["169.254.255.255", "link-local range 169.254.0.0/16"],
    ["fe80::1", "link-local range fe80::/10"],
    ["febf:ffff::1", "link-local range fe80::/10"],
    ["fec0::1", "site-local (deprecated) range fec0::/10"],
    // CGNAT (Alibaba's metadata 100.100.100.200 included)
    ["100.64.0.0", "carrier-grade NAT range 100.64.0.0/10"],
    ["100.100.100.200", "carrier-grade NAT range 100.64.0.0/10"],
    ["100.127.255.255", "carrier-grade NAT range 100.64.0.0/10"],
    // multicast, broadcast, reserved
    ["224.0.0.1", "multicast range 224.0.0.0/4"],
    ["239.255.255.250", "multicast range 224.0.0.0/4"],
    ["ff02::1", "multicast range ff00::/8"],
    ["ff05::1:3", "multicast range ff00::/8"],
    ["255.255.255.255", "broadcast address 255.255.255.255"],
    ["240.0.0.1", "reserved range 240.0.0.0/4"],
    ["254.1.2.3", "reserved range 240.0.0.0/4"],
    // documentation / benchmarking / protocol assignments
    ["192.0.2.1", "documentation range 192.0.2.0/24"],
    ["198.51.100.7", "documentation range 198.51.100.0/24"],
    ["203.0.113.255", "documentation range 203.0.113.0/24"],
    ["2001:db8::1", "documentation range 2001:db8::/32"],
    ["3fff::1", "documentation range 3fff::/20"],
    ["192.0.0.8", "reserved (IETF protocol assignments) range 192.0.0.0/24"],
    ["198.18.0.1", "reserved (benchmarking) range 198.18.0.0/15"],
    ["198.19.255.255", "reserved (benchmarking) range 198.18.0.0/15"],
    ["192.88.99.1", "reserved (6to4 relay anycast) range 192.88.99.0/24"],
    ["100::1", "discard-only range 100::/64"],
    ["2001:2::1", "reserved (benchmarking) range 2001:2::/48"],
    ["2001:10::1", "reserved (ORCHID) range 2001:10::/28"],
    ["2001:20::1", "reserved (ORCHIDv2) range 2001:20::/28"],
    ["4000::1", "reserved range (outside global unicast 2000::/3)"],
    ["fbff::1", "reserved range (outside global unicast 2000::/3)"],
    ["fe7f::1", "reserved range (outside global unicast 2000::/3)"],
    // IPv4-mapped / translated / compatible forms
    ["[::ffff:127.0.0.1]", "IPv4-mapped form of 127.0.0.1: loopback range 127.0.0.0/8"],
    ["::ffff:7f00:1", "IPv4-mapped form of 127.0.0.1: loopback range 127.0.0.0/8"],
    ["::ffff:10.0.0.1", "IPv4-mapped form of 10.0.0.1: private range 10.0.0.0/8"],
    ["::ffff:169.254.169.254", "IPv4-mapped form of 169.254.169.254: cloud metadata"],
    ["::ffff:0.0.0.0", "IPv4-mapped form of 0.0.0.0: unspecified"],
    ["::ffff:100.64.1.1", "IPv4-mapped form of 100.64.1.1: carrier-grade NAT"],
    ["::ffff:224.0.0.1", "IPv4-mapped form of 224.0.0.1: multicast"],
    ["::ffff:255.255.255.255", "IPv4-mapped form of 255.255.255.255: broadcast"],
    ["::ffff:192.0.2.1", "IPv4-mapped form of 192.0.2.1: documentation"],
    ["::ffff:0:10.0.0.1", "IPv4-translated form of 10.0.0.1: private"],
    ["::127.0.0.1", "IPv4-compatible form of 127.0.0.1: loopback"],
    ["::10.0.0.1", "IPv4-compatible form of 10.0.0.1: private"],
    ["::8.8.8.8", "deprecated IPv4-compatible range ::/96"],
    // NAT64
    ["64:ff9b::127.0.0.1", "NAT64 form of 127.0.0.1: loopback"],
    ["64:ff9b::a9fe:a9fe", "NAT64 form of 169.254.169.254: cloud metadata"],
    ["64:ff9b::10.1.2.3", "NAT64 form of 10.1.2.3: private"],
    ["64:ff9b::c0a8:101", "NAT64 form of 192.168.1.1: private"],
    ["64:ff9b:1::1", "local-use NAT64 range 64:ff9b:1::/48"],
    // 6to4
    ["2002:7f00:1::1", "6to4 form of 127.0.0.1: loopback"],
    ["2002:a9fe:a9fe::", "6to4 form of 169.254.169.254: cloud metadata"],
    ["2002:c0a8:101::1", "6to4 form of 192.168.1.1: private"],
    ["2002:a00:5::1", "6to4 form of 10.0.0.5: private"],
    // Teredo: client address is stored inverted (Wikipedia's example embeds 192.0.2.45)
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo client form of 192.0.2.45: documentation"],
    ["2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo server form of 10.0.0.1: private"],
  ];

  it.each(refused)("%s is refused (%s)", (address, reason) => {
    expect(classifyAddress(address)).toContain(reason);
  });

  it.each([
    "8.8.8.8",
    "93.184.216.34",
    "1.1.1.1",
    "9.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "126.255.255.255",
    "128.0.0.0",
    "169.253.255.255",
    "169.255.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "192.0.3.1",
    "198.17.255.255",
    "198.20.0.0",
    "203.0.114.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "::ffff:93.184.216.34",
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
    "2000::1",
    "3fff:1000::1",
    "2001:db9::1",
  ])("%s is public", (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });
});

describe("EgressPolicy: allow and deny", () => {
  it("refuses by default and names the host, the address and the rule", () => {
    const policy = new EgressPolicy();
    expect(policy.checkAddress("10.0.0.5", "internal.example")).toBe(
      "address 10.0.0.5 of host internal.example is denied (private range 10.0.0.0/8)",
    );
    expect(policy.checkAddress("127.0.0.1")).toBe("address 127.0.0.1 is denied (loopback range 127.0.0.0/8)");
    expect(policy.checkAddress("93.184.216.34", "example.com")).toBeUndefined();
    expect(policy.checkAddress("not-an-ip", "x.example")).toContain("not a valid IP address");
  });

  it("refuses localhost and *.localhost by name", () => {
    const policy = new EgressPolicy();
    expect(policy.checkName("localhost")).toBe("host localhost is denied (loopback name localhost)");
    expect(policy.checkName("LOCALHOST.")).toBe("host localhost is denied (loopback name localhost)");
    expect(policy.checkName("app.localhost")).toContain("loopback name");
    expect(policy.checkName("localhost.example.com")).toBeUndefined();
    expect(new EgressPolicy({ allow: ["localhost"] }).checkName("localhost")).toBeUndefined();
  });

  it("an allowed IP permits exactly that address", () => {
    const policy = new EgressPolicy({ allow: ["127.0.0.1"] });
    expect(policy.checkAddress("127.0.0.1")).toBeUndefined();
    expect(policy.checkAddress("127.0.0.1", "loop.test")).toBeUndefined();
    expect(policy.checkAddress("127.0.0.2")).toContain("loopback range 127.0.0.0/8");
    expect(policy.checkAddress("::1")).toContain("loopback address ::1");
    expect(policy.checkAddress("::ffff:127.0.0.1")).toContain("IPv4-mapped form of 127.0.0.1");
    expect(policy.checkAddress("0.0.0.0")).toContain("unspecified");
  });

  it("allow entries may be written in any IP spelling, or as CIDRs", () => {
    expect(new EgressPolicy({ allow: ["0x7f000001"] }).checkAddress("127.0.0.1")).toBeUndefined();
    expect(new EgressPolicy({ allow: ["[::1]"] }).checkAddress("::1")).toBeUndefined();
    const policy = new EgressPolicy({ allow: ["10.0.0.0/8", "fd00::/8"] });
    expect(policy.checkAddress("10.9.8.7")).toBeUndefined();
    expect(policy.checkAddress("fd00::1")).toBeUndefined();
    expect(policy.checkAddress("fc00::1")).toContain("private (unique local)");
    expect(policy.checkAddress("172.16.0.1")).toContain("private range 172.16.0.0/12");
  });

  it("an allowed domain permits its addresses", () => {
    const policy = new EgressPolicy({ allow: ["Internal.Example"] });
    expect(policy.checkTarget("internal.example", ["10.0.0.5", "fd00::1"])).toBeUndefined();
    expect(policy.checkTarget("internal.example.", ["10.0.0.5"])).toBeUndefined();
    expect(policy.checkTarget("other.example", ["10.0.0.5"])).toContain("private range 10.0.0.0/8");
  });

  it("deny wins over allow for the same target", () => {
    const cidr = new EgressPolicy({ allow: ["10.0.0.0/8"], deny: ["10.0.0.5"] });
    expect(cidr.checkAddress("10.0.0.5")).toBe("address 10.0.0.5 is denied (deny-list entry 10.0.0.5)");
    expect(cidr.checkAddress("10.0.0.6")).toBeUndefined();

    const same = new EgressPolicy({ allow: ["127.0.0.1"], deny: ["127.0.0.1"] });
    expect(same.checkAddress("127.0.0.1")).toContain("deny-list entry 127.0.0.1");

    const domain = new EgressPolicy({ allow: ["internal.example"], deny: ["internal.example"] });
    expect(domain.checkName("internal.example")).toBe("host internal.example is denied (deny-list entry internal.example)");
    expect(domain.checkAddress("10.0.0.5", "internal.example")).toContain("deny-list entry internal.example");

    const domainVsCidr = new EgressPolicy({ allow: ["internal.example"], deny: ["10.0.0.0/8"] });
    expect(domainVsCidr.checkTarget("internal.example", ["192.168.1.1", "10.0.0.5"])).toBe(
      "address 10.0.0.5 of host internal.example is denied (deny-list entry 10.0.0.0/8)",
    );
  });

  it("deny refuses public targets too, including IPv6 forms embedding a denied IPv4", () => {
    const policy = new EgressPolicy({ deny: ["93.184.216.0/24", "Evil.Example", "2606:4700::/32"] });
    expect(policy.checkAddress("93.184.216.34", "example.com")).toBe(
      "address 93.184.216.34 of host example.com is denied (deny-list entry 93.184.216.0/24)",
    );
    expect(policy.checkAddress("::ffff:93.184.216.34")).toContain("via IPv4-mapped form of 93.184.216.34");
    expect(policy.checkAddress("64:ff9b::93.184.216.34")).toContain("via NAT64 form of 93.184.216.34");
    expect(policy.checkAddress("2002:5db8:d822::1")).toContain("via 6to4 form of 93.184.216.34");
    expect(policy.checkAddress("2606:4700:4700::1111")).toContain("deny-list entry 2606:4700::/32");
    expect(policy.checkName("evil.example.")).toBe("host evil.example is denied (deny-list entry Evil.Example)");
    expect(policy.checkAddress("8.8.8.8", "dns.google")).toBeUndefined();
  });

  it("rejects invalid entries with a message naming them", () => {
    for (const bad of ["", "10.0.0.0/33", "10.0.0.0/x", "*.example.com", "http://x.example", "x.example:80", "a b"]) {
      expect(() => new EgressPolicy({ deny: [bad] }), bad).toThrow(/egress deny entry .* is invalid/);
    }
    expect(() => new EgressPolicy({ allow: [42 as unknown as string] })).toThrow(/must be a string/);
  });
});
