import { type ZitadelCallRefusal, refuse } from "./refusal.js";

/** ZITADEL's header, lower-cased as Node hands headers over (names are case-insensitive). */
export const signatureHeaderName = "zitadel-signature";

/**
 * How far a header's timestamp may be from actiond's clock. ZITADEL's own
 * validator refuses only the past (300 s); the future bound is ours, for clock
 * skew between the two hosts (docs/zitadel-v2-target.md, "Trusting a call").
 */
export interface SignatureWindow {
  toleranceSeconds: number;
  futureSkewSeconds: number;
}

export const defaultSignatureWindow: SignatureWindow = { toleranceSeconds: 300, futureSkewSeconds: 60 };

/** What a readable header holds: the timestamp, and each v1 value that is a SHA-256 in hex. */
export interface SignatureHeader {
  /** Unix seconds, exactly as signed (`${timestamp}.` starts the signed message). */
  timestamp: number;
  signatures: Buffer[];
}

/** A header one key signs is about 80 characters; this leaves room for dozens of v1 parts. */
const maxHeaderLength = 4096;

// Only the canonical decimal form ZITADEL writes: the signed message repeats it, so
// "+5" or "05" could never match, and 15 digits keep it an exact JavaScript number.
const canonicalSeconds = /^(0|[1-9][0-9]{0,14})$/;
// Whitespace in a key means a list joined by a proxy or by Node from two headers.
const pairKey = /^[A-Za-z0-9]+$/;
const sha256Hex = /^[0-9a-fA-F]{64}$/;

const malformed = (why: string) => refuse("malformed-signature", `ZITADEL-Signature header ${why}`);

/**
 * Reads `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. Unknown keys are skipped, as
 * ZITADEL's parser skips them, and so is a v1 value that is not 64 hex digits.
 */
export function parseSignatureHeader(header: string | undefined): { ok: true; header: SignatureHeader } | ZitadelCallRefusal {
  if (header === undefined || header === "") return refuse("missing-signature", "no ZITADEL-Signature header");
  if (header.length > maxHeaderLength) return malformed(`is longer than ${maxHeaderLength} characters`);
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const pair of header.split(",")) {
    const parts = pair.split("=");
    if (parts.length !== 2 || !pairKey.test(parts[0]!)) return malformed("has a part that is not key=value");
    const [key, value] = parts as [string, string];
    if (key === "t") {
      if (timestamp !== undefined) return malformed("has more than one t");
      if (!canonicalSeconds.test(value)) return malformed("has a t that is not unix seconds");
      timestamp = Number(value);
    } else if (key === "v1" && sha256Hex.test(value)) {
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === undefined) return malformed("has no t");
  if (signatures.length === 0) return malformed("has no v1 signature of 64 hex digits");
  return { ok: true, header: { timestamp, signatures } };
}

/** Whether a timestamp lies within the window around `now`. Both bounds are inclusive. */
export function checkTimestamp(timestamp: number, now: Date, window: SignatureWindow): ZitadelCallRefusal | undefined {
  const ageMs = now.getTime() - timestamp * 1000;
  if (ageMs > window.toleranceSeconds * 1000) {
    return refuse("stale", `signed ${Math.floor(ageMs / 1000)} s ago, tolerance ${window.toleranceSeconds} s`);
  }
  if (-ageMs > window.futureSkewSeconds * 1000) {
    return refuse("future", `signed ${Math.ceil(-ageMs / 1000)} s in the future, allowed skew ${window.futureSkewSeconds} s`);
  }
  return undefined;
}

/**
 * Everything about the header that does not need the body: presence, format and
 * the timestamp window. The endpoint runs it before reading the body, so a
 * forged or replayed call costs no buffering.
 */
export function preCheckSignatureHeader(
  header: string | undefined,
  now: Date,
  window: SignatureWindow = defaultSignatureWindow,
): { ok: true; header: SignatureHeader } | ZitadelCallRefusal {
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return parsed;
  return checkTimestamp(parsed.header.timestamp, now, window) ?? parsed;
}
