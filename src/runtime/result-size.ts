/**
 * What protobuf adds at most per value on top of its UTF-8 bytes: a tag and a
 * length, or the eight bytes of a number (a `1` in JSON). Sizes counted with
 * it bound a record's protobuf encoding from above (docs/sandbox.md, Results).
 */
export const perValueBytes = 10;

/** How deep a JSON text nests (`"x"` 0, `{}` 1, `{"a":[]}` 2) and how many values it holds at most. */
export interface JsonShape {
  depth: number;
  values: number;
}

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const open = [0x5b, 0x7b];
const close = [0x5d, 0x7d];

/**
 * The shape of a JSON text, read without parsing it: a loop, not a
 * recursion, so a value nested thousands of levels deep costs no stack. Each
 * comma and each opening bracket starts a value, which over-counts object
 * keys: an upper bound is what the size needs.
 */
export function jsonShape(text: string): JsonShape {
  if (text.charCodeAt(0) === quote) return { depth: 0, values: 1 };
  let depth = 0;
  let deepest = 0;
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      i = endOfString(text, i);
    } else if (c === comma) {
      values++;
    } else if (open.includes(c)) {
      values++;
      if (++depth > deepest) deepest = depth;
    } else if (close.includes(c)) {
      depth--;
    }
  }
  return { depth: deepest, values };
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === backslash) i++;
    else if (c === quote) return i;
  }
  return text.length;
}

/** The size a JSON value counts for in a result: its UTF-8 bytes plus what protobuf adds per value. */
export function jsonBytes(text: string, shape: JsonShape = jsonShape(text)): number {
  return Buffer.byteLength(text, "utf8") + perValueBytes * shape.values;
}

/** The size strings count for in a result, each a protobuf string field. */
export function textBytes(...texts: string[]): number {
  return texts.reduce((n, text) => n + Buffer.byteLength(text, "utf8") + perValueBytes, 0);
}
