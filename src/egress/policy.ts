/**
 * The egress address policy: which hosts and addresses a script's `fetch` may
 * reach.
 *
 * Defaults refuse every non-public address: loopback, unspecified, private,
 * link-local (cloud metadata included), CGNAT, multicast, broadcast,
 * documentation/benchmarking/reserved ranges, and IPv6 forms that embed a
 * refused IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64,
 * 6to4, Teredo). The name `localhost` (and `*.localhost`, RFC 6761) is refused
 * by name too.
 *
 * `deny` entries (CIDR, IP or exact domain) refuse more; `allow` entries (CIDR,
 * IP or exact domain) permit what the defaults refuse. Deny always wins: a deny
 * entry matches the host name, the address, and any IPv4 address embedded in
 * it. An allow entry matches the host name or the address exactly as resolved
 * (allowing `127.0.0.1` does not allow `::ffff:127.0.0.1`).
 */
import {
  cidrContains,
  formatV4,
  normalizeName,
  parseCidr,
  parseHost,
  parseIp,
  type Cidr,
  type IpAddress,
} from "./ip.js";

interface Rule {
  cidr: Cidr;
  label: string;
}

function rules(list: [string, string][]): Rule[] {
  return list.map(([cidr, label]) => {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new Error(`bad built-in CIDR ${cidr}`);
    return { cidr: parsed, label };
  });
}

/** Checked in order; the first match names the rule. */
const V4_RULES = rules([
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "carrier-grade NAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.169.254/32", "cloud metadata (link-local)"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved (IETF protocol assignments)"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "reserved (6to4 relay anycast)"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved (benchmarking)"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
]);

const V6_EXACT = rules([
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
]);

const V6_RULES = rules([
  ["64:ff9b:1::/48", "local-use NAT64"],
  ["100::/64", "discard-only"],
  ["2001:2::/48", "reserved (benchmarking)"],
  ["2001:10::/28", "reserved (ORCHID)"],
  ["2001:20::/28", "reserved (ORCHIDv2)"],
  ["2001:db8::/32", "documentation"],
  ["3fff::/20", "documentation"],
  ["fc00::/7", "private (unique local)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local (deprecated)"],
  ["ff00::/8", "multicast"],
]);

const GLOBAL_UNICAST = parseCidr("2000::/3")!;
const MAPPED = parseCidr("::ffff:0:0/96")!;
const TRANSLATED = parseCidr("::ffff:0:0:0/96")!;
const COMPATIBLE = parseCidr("::/96")!;
const NAT64 = parseCidr("64:ff9b::/96")!;
const SIX_TO_FOUR = parseCidr("2002::/16")!;
const TEREDO = parseCidr("2001::/32")!;

function describe(rule: Rule): string {
  const single = rule.cidr.prefix === (rule.cidr.family === 4 ? 32 : 128);
  const base = rule.cidr.text.slice(0, rule.cidr.text.indexOf("/"));
  return single ? `${rule.label} address ${base}` : `${rule.label} range ${rule.cidr.text}`;
}

function v4(bytes: Uint8Array): IpAddress {
  const b = Uint8Array.from(bytes);
  return { family: 4, bytes: b, text: formatV4(b) };
}

export interface EmbeddedV4 {
  /** How the IPv4 address is embedded, e.g. `IPv4-mapped`, `NAT64`, `6to4`. */
  form: string;
  ip: IpAddress;
}

/** The IPv4 addresses an IPv6 address embeds (mapped, compatible, translated, NAT64, 6to4, Teredo). */
export function embeddedV4(ip: IpAddress): EmbeddedV4[] {
  if (ip.family !== 6) return [];
  const b = ip.bytes;
  if (cidrContains(MAPPED, ip)) return [{ form: "IPv4-mapped", ip: v4(b.subarray(12)) }];
  if (cidrContains(TRANSLATED, ip)) return [{ form: "IPv4-translated", ip: v4(b.subarray(12)) }];
  if (cidrContains(COMPATIBLE, ip)) return [{ form: "IPv4-compatible", ip: v4(b.subarray(12)) }];
  if (cidrContains(NAT64, ip)) return [{ form: "NAT64", ip: v4(b.subarray(12)) }];
  if (cidrContains(SIX_TO_FOUR, ip)) return [{ form: "6to4", ip: v4(b.subarray(2, 6)) }];
  if (cidrContains(TEREDO, ip)) {
    const client = v4(b.subarray(12).map((x) => x ^ 0xff));
    return [
      { form: "Teredo server", ip: v4(b.subarray(4, 8)) },
      { form: "Teredo client", ip: client },
    ];
  }
  return [];
}

function classifyV4(ip: IpAddress): string | undefined {
  for (const rule of V4_RULES) if (cidrContains(rule.cidr, ip)) return describe(rule);
  return undefined;
}

/**
 * The default rule that refuses this address, as text such as
 * `private range 10.0.0.0/8`, or undefined when the address is public.
 */
export function defaultRefusal(ip: IpAddress): string | undefined {
  return refusalOf(ip, embeddedV4(ip));
}

/** `embedded` is `embeddedV4(ip)`, taken by the caller so that a check derives it once. */
function refusalOf(ip: IpAddress, embedded: EmbeddedV4[]): string | undefined {
  if (ip.family === 4) return classifyV4(ip);
  for (const rule of V6_EXACT) if (cidrContains(rule.cidr, ip)) return describe(rule);
  for (const e of embedded) {
    const reason = classifyV4(e.ip);
    if (reason) return `${e.form} form of ${e.ip.text}: ${reason}`;
  }
  // Mapped/translated/NAT64 forms of a public IPv4 address are that address.
  if (cidrContains(MAPPED, ip) || cidrContains(TRANSLATED, ip) || cidrContains(NAT64, ip)) return undefined;
  if (cidrContains(COMPATIBLE, ip)) return "deprecated IPv4-compatible range ::/96";
  for (const rule of V6_RULES) if (cidrContains(rule.cidr, ip)) return describe(rule);
  if (!cidrContains(GLOBAL_UNICAST, ip)) return "reserved range (outside global unicast 2000::/3)";
  return undefined;
}

/** Parses an IP (in any spelling the URL parser accepts) and returns its default refusal. */
export function classifyAddress(address: string): string | undefined {
  const host = parseHost(address);
  if (!host || host.kind !== "ip") throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
  return defaultRefusal(host.ip);
}

function isLocalhostName(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost");
}

interface Entry {
  text: string;
  cidr?: Cidr;
  name?: string;
}

function parseEntry(list: string, raw: unknown): Entry {
  if (typeof raw !== "string") throw new TypeError(`egress ${list} entry must be a string, got ${typeof raw}`);
  const text = raw.trim();
  const bad = (why: string) => new TypeError(`egress ${list} entry ${JSON.stringify(raw)} is invalid: ${why}`);
  if (text === "") throw bad("empty");
  if (text.includes("/")) {
    const cidr = parseCidr(text);
    if (!cidr) throw bad("expected a CIDR such as 10.0.0.0/8 or fd00::/8");
    return { text, cidr };
  }
  if (text.includes("*")) throw bad("wildcards are not supported; list exact domains");
  const host = parseHost(text);
  if (!host) throw bad("expected a CIDR, an IP address or an exact domain");
  if (host.kind === "ip") {
    const cidr = parseCidr(host.ip.text)!;
    return { text, cidr };
  }
  return { text, name: host.name };
}

export interface EgressPolicyOptions {
  allow?: string[];
  deny?: string[];
}

export class EgressPolicy {
  private readonly allow: Entry[];
  private readonly deny: Entry[];

  /** Throws a TypeError naming the entry when an allow/deny entry is invalid. */
  constructor(options: EgressPolicyOptions = {}) {
    this.allow = (options.allow ?? []).map((e) => parseEntry("allow", e));
    this.deny = (options.deny ?? []).map((e) => parseEntry("deny", e));
  }

  /** Checks a DNS name before it is resolved. Returns the refusal message, or undefined. */
  checkName(hostname: string): string | undefined {
    const name = normalizeName(hostname);
    const denied = this.deny.find((e) => e.name === name);
    if (denied) return `host ${name} is denied (deny-list entry ${denied.text})`;
    if (this.allow.some((e) => e.name === name)) return undefined;
    if (isLocalhostName(name)) return `host ${name} is denied (loopback name localhost)`;
    return undefined;
  }

  /**
   * Checks one address (strict IP text, as a resolver returns it) of `hostname`
   * (undefined when the URL host was the IP literal itself). Returns the
   * refusal message, or undefined when the address may be reached.
   */
  checkAddress(address: string, hostname?: string): string | undefined {
    const name = hostname === undefined ? undefined : normalizeName(hostname);
    const ip = parseIp(address);
    const subject = name === undefined ? `address ${address}` : `address ${address} of host ${name}`;
    if (!ip) return `${subject} is not a valid IP address`;
    if (name !== undefined) {
      const denied = this.deny.find((e) => e.name === name);
      if (denied) return `host ${name} is denied (deny-list entry ${denied.text})`;
    }
    const embedded = embeddedV4(ip);
    for (const entry of this.deny) {
      if (!entry.cidr) continue;
      if (cidrContains(entry.cidr, ip)) return `${subject} is denied (deny-list entry ${entry.text})`;
      for (const e of embedded) {
        if (cidrContains(entry.cidr, e.ip)) {
          return `${subject} is denied (deny-list entry ${entry.text}, via ${e.form} form of ${e.ip.text})`;
        }
      }
    }
    if (name !== undefined && this.allow.some((e) => e.name === name)) return undefined;
    if (this.allow.some((e) => e.cidr && cidrContains(e.cidr, ip))) return undefined;
    const reason = refusalOf(ip, embedded);
    return reason ? `${subject} is denied (${reason})` : undefined;
  }

  /** Checks a host and every address it resolved to; the first refusal, or undefined. */
  checkTarget(hostname: string | undefined, addresses: string[]): string | undefined {
    if (hostname !== undefined) {
      const refused = this.checkName(hostname);
      if (refused) return refused;
    }
    for (const address of addresses) {
      const refused = this.checkAddress(address, hostname);
      if (refused) return refused;
    }
    return undefined;
  }
}
