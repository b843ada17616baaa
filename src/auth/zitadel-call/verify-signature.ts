import { createHmac, timingSafeEqual } from "node:crypto";
import { type ZitadelCallRefusal, refuse } from "./refusal.js";
import { type SignatureWindow, defaultSignatureWindow, preCheckSignatureHeader } from "./signature-header.js";

/**
 * Checks a ZITADEL-Signature header against the exact received body: HMAC-SHA256
 * keyed with the signing key's bytes over `${t}.` followed by the body. Any v1
 * part matching any key passes, so a target can hold the old and the new key
 * while ZITADEL rotates. Returns the signing time (unix seconds).
 */
export function verifySignatureHeader(
  header: string | undefined,
  body: Uint8Array,
  keys: readonly (string | Uint8Array)[],
  now: Date,
  window: SignatureWindow = defaultSignatureWindow,
): { ok: true; signedAt: number } | ZitadelCallRefusal {
  const checked = preCheckSignatureHeader(header, now, window);
  if (!checked.ok) return checked;
  const { timestamp, signatures } = checked.header;
  // An empty key is one anybody can sign with; ZITADEL never signs with one.
  const usable = keys.filter((key) => key.length > 0);
  if (usable.length === 0) return refuse("not-configured", "the target has no signing key");
  for (const key of usable) {
    const expected = createHmac("sha256", key).update(`${timestamp}.`).update(body).digest();
    // The parser kept only 32-byte values, so timingSafeEqual's equal lengths hold.
    if (signatures.some((signature) => timingSafeEqual(expected, signature))) return { ok: true, signedAt: timestamp };
  }
  return refuse("bad-signature", `no v1 signature matches the target's ${usable.length} signing key(s)`);
}
