import { createHash, randomBytes, randomUUID } from "node:crypto";

/** RFC 4122 name-space ids, as `google/uuid` exports them to ZITADEL scripts. */
export const uuidNamespaces = {
  namespaceDNS: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  namespaceURL: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
  namespaceOID: "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
  namespaceX500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
} as const;

export function uuidV4(): string {
  return randomUUID();
}

// Gregorian epoch (1582-10-15) to Unix epoch, in ms.
const gregorianOffsetMs = 12_219_292_800_000n;

// Per thread, like google/uuid's per-process state: a random node id with the
// multicast bit set (RFC 4122 §4.5, no MAC address) and a random clock sequence.
const node = randomBytes(6);
node[0] = (node[0] as number) | 0x01;
let clockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
let lastMs = -1;
let ticks = 0;

/** A time-based UUID; several in the same ms differ by a 100 ns tick counter, then by the clock sequence. */
export function uuidV1(nowMs: number): string {
  const ms = Math.floor(nowMs);
  if (ms < lastMs) clockSeq = (clockSeq + 1) & 0x3fff;
  ticks = ms === lastMs ? ticks + 1 : 0;
  if (ticks >= 10_000) {
    ticks = 0;
    clockSeq = (clockSeq + 1) & 0x3fff;
  }
  lastMs = ms;
  const time = (BigInt(ms) + gregorianOffsetMs) * 10_000n + BigInt(ticks);
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(Number(time & 0xffffffffn), 0);
  bytes.writeUInt16BE(Number((time >> 32n) & 0xffffn), 4);
  bytes.writeUInt16BE(Number((time >> 48n) & 0x0fffn) | 0x1000, 6);
  bytes[8] = ((clockSeq >> 8) & 0x3f) | 0x80;
  bytes[9] = clockSeq & 0xff;
  node.copy(bytes, 10);
  return formatUuid(bytes);
}

/** v3 (MD5) or v5 (SHA-1) of a name in a name space. */
export function uuidFromName(version: 3 | 5, namespace: Uint8Array, name: Uint8Array): string {
  const digest = createHash(version === 3 ? "md5" : "sha1").update(namespace).update(name).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | (version << 4);
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** The 16 bytes of a UUID string (with or without dashes, braces or a urn:uuid: prefix). */
export function parseUuid(text: string): Uint8Array | undefined {
  const hex = text.trim().replace(/^urn:uuid:/i, "").replace(/^\{|\}$/g, "").replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return Buffer.from(hex, "hex");
}

export function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
