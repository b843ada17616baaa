// ignoreBOM keeps a leading byte-order mark in the text, where it makes a compact JWS/JWE or JSON invalid:
// ZITADEL never sends one, and the default decoder would drop it silently.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes as text, every one of them; undefined when they are not UTF-8. */
export function exactText(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
