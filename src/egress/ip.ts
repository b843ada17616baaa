/**
 * IP address and CIDR primitives for the egress policy: parsing to bytes,
 * prefix matching, and host-name normalisation with the same WHATWG URL parser
 * that `fetch` uses, so every IPv4 spelling (`127.1`, `0x7f000001`,
 * `2130706433`, `0177.0.0.1`...) is seen as the address it really is.
 */
import net from "node:net";

export type Family = 4 | 6;

export interface IpAddress {
  family: Family;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
  /** The address as text (canonical for IPv4; as given, without brackets or zone, for IPv6). */
  text: string;
}

export interface Cidr {
  family: Family;
  bytes: Uint8Array;
  prefix: number;
  /** Normalised text, e.g. `10.0.0.0/8`. */
  text: string;
}

function parseV4(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map((part) => Number(part)));
}

/**
 * Expands IPv6 text to bytes without checking it: its one caller, `parseIp`,
 * has already passed it through `net.isIP`, whose syntax check (one `::` at
 * most, 1-4 hex digits a group, a dotted-quad tail only in last place, eight
 * groups in all) leaves nothing here to fail.
 */
function parseV6(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let str = text;
  const lastColon = str.lastIndexOf(":");
  const last = str.slice(lastColon + 1);
  const tail = last.includes(".") ? parseV4(last) : undefined;
  if (tail) str = `${str.slice(0, lastColon + 1)}0:0`;
  const halves = str.split("::");
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const groups =
    halves.length === 2 ? [...head, ...new Array<string>(8 - head.length - rest.length).fill("0"), ...rest] : head;
  for (let i = 0; i < 8; i++) {
    const value = parseInt(groups[i]!, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/**
 * Parses a strict IP literal: canonical dotted-quad IPv4 or any IPv6 text,
 * optionally in brackets, optionally with a `%zone` (ignored for matching).
 * Loose IPv4 spellings (`127.1`) are NOT accepted here; use {@link parseHost}.
 */
export function parseIp(input: string): IpAddress | undefined {
  let text = input.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const family = net.isIP(text);
  if (family === 4) return { family: 4, bytes: parseV4(text), text };
  if (family === 6) return { family: 6, bytes: parseV6(text), text: text.toLowerCase() };
  return undefined;
}

export function formatV4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join(".");
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = bytes[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

function formatCidrBase(family: Family, bytes: Uint8Array): string {
  if (family === 4) return formatV4(bytes);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Compress the longest run of zero groups (at least two), as RFC 5952 does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLen).join(":");
  return `${left}::${right}`;
}

/** Parses `a.b.c.d/n` or `x::/n`; a bare IP is a /32 or /128. Returns undefined when invalid. */
export function parseCidr(input: string): Cidr | undefined {
  const slash = input.indexOf("/");
  const addrText = slash >= 0 ? input.slice(0, slash) : input;
  const ip = parseIp(addrText);
  if (!ip || addrText.includes("%")) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = input.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  const bytes = maskBytes(ip.bytes, prefix);
  return { family: ip.family, bytes, prefix, text: `${formatCidrBase(ip.family, bytes)}/${prefix}` };
}

export function cidrContains(cidr: Cidr, ip: { family: Family; bytes: Uint8Array }): boolean {
  if (cidr.family !== ip.family) return false;
  const full = Math.floor(cidr.prefix / 8);
  for (let i = 0; i < full; i++) if (cidr.bytes[i] !== ip.bytes[i]) return false;
  const bits = cidr.prefix % 8;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (ip.bytes[full]! & mask) === cidr.bytes[full];
}

export type HostKind = { kind: "ip"; ip: IpAddress } | { kind: "name"; name: string };

/**
 * Classifies a URL hostname (as `new URL(...).hostname` gives it: IPv4 already
 * canonical, IPv6 in brackets) as an IP literal or a DNS name (lower case,
 * without trailing dots).
 */
export function classifyHostname(hostname: string): HostKind {
  const ip = parseIp(hostname);
  if (ip) return { kind: "ip", ip };
  return { kind: "name", name: normalizeName(hostname) };
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, "");
}

/**
 * Normalises a host as written by a user (no scheme, no port), e.g. `127.1`,
 * `0x7f000001`, `2130706433`, `[::ffff:127.0.0.1]`, `::1` or `Example.COM.`,
 * with the WHATWG URL parser. Undefined when it is not a valid host.
 */
export function parseHost(input: string): HostKind | undefined {
  let text = input.trim();
  if (text === "" || /[\s/?#@\\]/.test(text)) return undefined;
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) return undefined;
  } else if (text.includes(":")) {
    if (!net.isIPv6(text)) return undefined;
    text = `[${text}]`;
  }
  let url: URL;
  try {
    url = new URL(`http://${text}/`);
  } catch {
    return undefined;
  }
  if (url.port !== "" || url.username !== "" || url.password !== "" || url.pathname !== "/") return undefined;
  if (url.hostname === "") return undefined;
  return classifyHostname(url.hostname);
}
