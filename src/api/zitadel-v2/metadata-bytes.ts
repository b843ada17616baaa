import { FieldError } from "./mapped.js";

// Standard base64 as Go encodes `[]byte`; the URL-safe alphabet and missing padding are accepted too.
const base64Text = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Metadata bytes from a v2 payload (base64) as v1's stored text: the runtime
 * hands a script the JSON it holds, or the text itself when it is no JSON
 * (docs/zitadel-v2-target.md, Context mapping). Bytes that are no UTF-8 are
 * replaced by U+FFFD, as any text view of them must.
 */
export function storedTextFromBase64(encoded: string, field: string): string {
  const digits = encoded.replace(/=+$/, "");
  if (!base64Text.test(encoded) || digits.length % 4 === 1) throw new FieldError(field, "must be base64");
  return Buffer.from(digits, "base64").toString("utf8");
}

/**
 * A v1 metadata value, JSON text as v1 stores it (`MetadataChange.value`), as
 * the base64 a v2 answer carries: ZITADEL then stores exactly those bytes
 * (docs/zitadel-v2-target.md, Answer mapping).
 */
export function base64FromStoredText(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
