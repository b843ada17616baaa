/**
 * Refusals through `fetch`, with the resolver stubbed. Every target here is
 * refused BEFORE a connection: the socket guard records every connect attempt
 * of the process (and would refuse anything but 127.0.0.1), and each test
 * checks that there was none. No test in this file sends any traffic.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEgressFetcher, type EgressRequest, type ResolvedAddress } from "./index.js";
import { installSocketGuard, type SocketGuard } from "../../test/support/socket-guard.js";

let guard: SocketGuard;
beforeAll(() => {
  guard = installSocketGuard();
});
afterEach(() => {
  expect(guard.violations).toEqual([]);
  expect(guard.attempts).toEqual([]);
  guard.reset();
});
afterAll(() => guard.uninstall());

const ZONE: Record<string, string[]> = {
  "metadata.internal": ["169.254.169.254"],
  "rebind.example": ["93.184.216.34", "10.0.0.1"],
  "corp.example": ["fd00::1"],
  "mapped.example": ["::ffff:127.0.0.1"],
  "nat64.example": ["64:ff9b::a9fe:a9fe"],
  "sixtofour.example": ["2002:c0a8:101::1"],
  "cgnat.example": ["100.100.100.200"],
  "multicast.example": ["224.0.0.251", "ff02::fb"],
  "v6only.example": ["fe80::1"],
  "public.example": ["93.184.216.34"],
  "empty.example": [],
};

function stubResolver() {
  const calls: string[] = [];
  const lookup = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const addresses = ZONE[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { calls, lookup };
}

const get = (url: string): EgressRequest => ({ url, method: "GET", headers: {} });
const soon = () => performance.now() + 5_000;

describe("names that resolve to refused addresses", () => {
  it.each([
    ["http://metadata.internal/latest/meta-data/", "address 169.254.169.254 of host metadata.internal is denied (cloud metadata (link-local) address 169.254.169.254)"],
    ["http://rebind.example/", "address 10.0.0.1 of host rebind.example is denied (private range 10.0.0.0/8)"],
    ["https://corp.example/", "address fd00::1 of host corp.example is denied (private (unique local) range fc00::/7)"],
    ["http://mapped.example/", "address ::ffff:127.0.0.1 of host mapped.example is denied (IPv4-mapped form of 127.0.0.1: loopback range 127.0.0.0/8)"],
    ["http://nat64.example/", "address 64:ff9b::a9fe:a9fe of host nat64.example is denied (NAT64 form of 169.254.169.254: cloud metadata (link-local) address 169.254.169.254)"],
    ["http://sixtofour.example/", "address 2002:c0a8:101::1 of host sixtofour.example is denied (6to4 form of 192.168.1.1: private range 192.168.0.0/16)"],
    ["http://cgnat.example/", "address 100.100.100.200 of host cgnat.example is denied (carrier-grade NAT range 100.64.0.0/10)"],
    ["http://multicast.example/", "address 224.0.0.251 of host multicast.example is denied (multicast range 224.0.0.0/4)"],
    ["http://v6only.example:8080/x", "address fe80::1 of host v6only.example is denied (link-local range fe80::/10)"],
  ])("%s", async (url, message) => {
    const { calls, lookup } = stubResolver();
    const result = await createEgressFetcher({ lookup }).fetch(get(url), soon());
    expect(result).toEqual({ error: message });
    expect(calls).toEqual([new URL(url).hostname]);
  });

  it("checks every resolved address, whatever their order", async () => {
    const lookup = async () => [
      { address: "93.184.216.34", family: 4 as const },
      { address: "2606:4700::1", family: 6 as const },
      { address: "::1", family: 6 as const },
    ];
    const result = await createEgressFetcher({ lookup }).fetch(get("http://mixed.example/"), soon());
    expect(result).toEqual({ error: "address ::1 of host mixed.example is denied (loopback address ::1)" });
  });

  it("a deny-listed public address is refused; a deny-listed domain is refused before resolving", async () => {
    const { calls, lookup } = stubResolver();
    const fetcher = createEgressFetcher({ lookup, deny: ["93.184.216.0/24", "Blocked.Example"] });
    expect(await fetcher.fetch(get("http://public.example/"), soon())).toEqual({
      error: "address 93.184.216.34 of host public.example is denied (deny-list entry 93.184.216.0/24)",
    });
    expect(await fetcher.fetch(get("http://blocked.example./"), soon())).toEqual({
      error: "host blocked.example is denied (deny-list entry Blocked.Example)",
    });
    expect(calls).toEqual(["public.example"]);
  });

  it("deny wins over an allowed domain", async () => {
    const { lookup } = stubResolver();
    const fetcher = createEgressFetcher({ lookup, allow: ["corp.example", "metadata.internal"], deny: ["169.254.0.0/16"] });
    expect(await fetcher.fetch(get("http://metadata.internal/"), soon())).toEqual({
      error: "address 169.254.169.254 of host metadata.internal is denied (deny-list entry 169.254.0.0/16)",
    });
  });
});

describe("IP literals are checked as they are, without resolving", () => {
  it.each([
    ["http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is denied (cloud metadata (link-local) address 169.254.169.254)"],
    ["http://0xa9fea9fe/", "address 169.254.169.254 is denied (cloud metadata (link-local) address 169.254.169.254)"],
    ["http://[::ffff:169.254.169.254]/", "address ::ffff:a9fe:a9fe is denied (IPv4-mapped form of 169.254.169.254: cloud metadata (link-local) address 169.254.169.254)"],
    ["http://10.0.0.5:8080/", "address 10.0.0.5 is denied (private range 10.0.0.0/8)"],
    ["https://192.168.1.1/", "address 192.168.1.1 is denied (private range 192.168.0.0/16)"],
    ["http://[fd00::1]/", "address fd00::1 is denied (private (unique local) range fc00::/7)"],
    ["http://[fe80::1]/", "address fe80::1 is denied (link-local range fe80::/10)"],
    ["http://[64:ff9b::a00:1]/", "address 64:ff9b::a00:1 is denied (NAT64 form of 10.0.0.1: private range 10.0.0.0/8)"],
    ["http://100.64.0.1/", "address 100.64.0.1 is denied (carrier-grade NAT range 100.64.0.0/10)"],
    ["http://255.255.255.255/", "address 255.255.255.255 is denied (broadcast address 255.255.255.255)"],
    ["http://192.0.2.10/", "address 192.0.2.10 is denied (documentation range 192.0.2.0/24)"],
    ["http://[ff02::1]/", "address ff02::1 is denied (multicast range ff00::/8)"],
  ])("%s", async (url, message) => {
    const { calls, lookup } = stubResolver();
    expect(await createEgressFetcher({ lookup }).fetch(get(url), soon())).toEqual({ error: message });
    expect(calls).toEqual([]);
  });
});

describe("every loopback form is refused by default, without connecting", () => {
  it.each([
    ["http://127.0.0.1/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
    ["http://localhost/", "host localhost is denied (loopback name localhost)"],
    ["http://LOCALHOST.:8080/", "host localhost is denied (loopback name localhost)"],
    ["http://[::1]/", "address ::1 is denied (loopback address ::1)"],
    ["http://127.1/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
    ["http://0x7f000001/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
    ["http://2130706433/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
    ["http://0177.0.0.1/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
    ["http://[::ffff:127.0.0.1]/", "address ::ffff:7f00:1 is denied (IPv4-mapped form of 127.0.0.1: loopback range 127.0.0.0/8)"],
    ["http://0.0.0.0/", "address 0.0.0.0 is denied (unspecified range 0.0.0.0/8)"],
    ["http://[::]/", "address :: is denied (unspecified address ::)"],
    ["https://127.0.0.1:8443/", "address 127.0.0.1 is denied (loopback range 127.0.0.0/8)"],
  ])("%s", async (url, message) => {
    // The default (real) resolver: `localhost` is refused by name, the rest are literals.
    expect(await createEgressFetcher().fetch(get(url), soon())).toEqual({ error: message });
  });
});

describe("requests that are malformed or out of time", () => {
  const { lookup } = stubResolver();
  const fetcher = createEgressFetcher({ lookup });

  it.each([
    ["ftp://public.example/", "URL scheme ftp: is not allowed (only http: and https:)"],
    ["file:///etc/passwd", "URL scheme file: is not allowed (only http: and https:)"],
    ["data:text/plain,hi", "URL scheme data: is not allowed (only http: and https:)"],
    ["javascript:alert(1)", "URL scheme javascript: is not allowed (only http: and https:)"],
    ["http://user:pass@public.example/", "URL userinfo is not allowed (host public.example)"],
    ["http://user@public.example/", "URL userinfo is not allowed (host public.example)"],
    ["not a url", 'invalid URL "not a url"'],
    ["http://[fe80::1%25eth0]/", 'invalid URL "http://[fe80::1%25eth0]/"'],
    ["http://nowhere.example/", "could not resolve host nowhere.example: getaddrinfo ENOTFOUND nowhere.example"],
    ["http://empty.example/", "host empty.example resolved to no address"],
  ])("%s", async (url, message) => {
    expect(await fetcher.fetch(get(url), soon())).toEqual({ error: message });
  });

  it("rejects bad methods, headers and bodies with a message", async () => {
    const base = { url: "http://metadata.internal/", method: "GET", headers: {} };
    expect(await fetcher.fetch({ ...base, method: "CONNECT" }, soon())).toEqual({ error: "request method CONNECT is not allowed" });
    expect(await fetcher.fetch({ ...base, method: "GE T" }, soon())).toEqual({ error: 'invalid request method "GE T"' });
    expect(await fetcher.fetch({ ...base, headers: { "bad header": ["x"] } }, soon())).toEqual({
      error: 'invalid request header name "bad header"',
    });
    expect(await fetcher.fetch({ ...base, headers: { "x-a": ["a\r\nInjected: 1"] } }, soon())).toEqual({
      error: 'invalid value for request header "x-a"',
    });
    expect(await fetcher.fetch({ ...base, body: 42 as unknown as string }, soon())).toEqual({ error: "request body must be a string" });
    expect(await fetcher.fetch(null as unknown as EgressRequest, soon())).toEqual({ error: "request must be an object" });
  });

  it("a resolver that throws synchronously or answers junk is an error, not a throw", async () => {
    const throwing = createEgressFetcher({
      lookup: () => {
        throw new Error("boom");
      },
    });
    expect(await throwing.fetch(get("http://x.example/"), soon())).toEqual({ error: "could not resolve host x.example: boom" });
    const junk = createEgressFetcher({ lookup: async () => [{ address: "127.1", family: 4 }] });
    expect(await junk.fetch(get("http://x.example/"), soon())).toEqual({
      error: 'host x.example resolved to an invalid address "127.1"',
    });
  });

  it("a deadline already past times out before resolving", async () => {
    const { calls, lookup: recording } = stubResolver();
    const result = await createEgressFetcher({ lookup: recording }).fetch(get("http://metadata.internal/"), performance.now() - 1);
    expect(result).toEqual({ error: "request timed out" });
    expect(calls).toEqual([]);
  });

  it("a resolver that never answers is cut at the deadline", async () => {
    const hanging = createEgressFetcher({ lookup: () => new Promise<ResolvedAddress[]>(() => {}) });
    const started = performance.now();
    expect(await hanging.fetch(get("http://slow-dns.example/"), started + 100)).toEqual({ error: "request timed out" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("invalid options are rejected when the fetcher is created", () => {
    expect(() => createEgressFetcher({ allow: ["10.0.0.0/99"] })).toThrow(/egress allow entry "10.0.0.0\/99" is invalid/);
    expect(() => createEgressFetcher({ maxResponseBytes: -1 })).toThrow(/maxResponseBytes/);
    expect(() => createEgressFetcher({ maxRedirects: 1.5 })).toThrow(/maxRedirects/);
  });
});

describe("the reason of each refusal, as the metrics count it", () => {
  /** A fetcher that records the reasons it reports. */
  function reporting() {
    const reasons: string[] = [];
    const fetcher = createEgressFetcher({ lookup: stubResolver().lookup, deny: ["blocked.example"], onRefusal: (r) => reasons.push(r) });
    return { fetcher, reasons };
  }

  it.each([
    ["ftp://public.example/", "url"],
    ["http://user@public.example/", "url"],
    ["not a url", "url"],
    ["http://localhost/", "host"],
    ["http://blocked.example/", "host"],
    ["http://10.0.0.5/", "address"],
    ["http://metadata.internal/", "address"],
  ])("%s: %s", async (url, reason) => {
    const { fetcher, reasons } = reporting();
    expect(await fetcher.fetch(get(url), soon())).toHaveProperty("error");
    expect(reasons).toEqual([reason]);
  });

  it("a request it does not send is refused as `request`", async () => {
    const { fetcher, reasons } = reporting();
    await fetcher.fetch({ url: "http://public.example/", method: "CONNECT", headers: {} }, soon());
    await fetcher.fetch({ url: "http://public.example/", method: "GET", headers: { "bad header": ["x"] } }, soon());
    expect(reasons).toEqual(["request", "request"]);
  });

  it("a failure is no refusal: a name that does not resolve, a deadline", async () => {
    const { fetcher, reasons } = reporting();
    expect(await fetcher.fetch(get("http://nowhere.example/"), soon())).toHaveProperty("error");
    expect(await fetcher.fetch(get("http://metadata.internal/"), performance.now() - 1)).toEqual({ error: "request timed out" });
    expect(reasons).toEqual([]);
  });
});
