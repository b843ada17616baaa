import type { JsonValue } from "@bufbuild/protobuf";
import { isObject, type JsonSchema } from "./json-schema.js";

/**
 * Whether a value may pass the constraints field-rules.ts writes, read only
 * as far as those keywords go. It answers "no" only when a keyword surely
 * refuses the value: it decides whether a field without presence must be
 * sent (its zero value fails the rules, as `min_len: 1` makes of a string),
 * and a field wrongly marked required is worse than one left optional.
 */
export function mayAccept(schema: JsonSchema, value: JsonValue): boolean {
  return Object.entries(schema).every(([keyword, arg]) => keywordMayAccept(keyword, arg, value));
}

function keywordMayAccept(keyword: string, arg: JsonValue, value: JsonValue): boolean {
  switch (keyword) {
    case "const":
      return same(arg, value);
    case "enum":
      return !Array.isArray(arg) || arg.some((a) => same(a, value));
    case "not":
      return !(isObject(arg) && Array.isArray(arg["enum"]) && arg["enum"].some((a) => same(a, value)));
    case "anyOf":
      return !Array.isArray(arg) || arg.some((branch) => !isObject(branch) || mayAccept(branch, value));
    case "minLength":
      return typeof value != "string" || [...value].length >= (arg as number);
    case "maxLength":
      return typeof value != "string" || [...value].length <= (arg as number);
    case "pattern":
      return typeof value != "string" || matches(arg as string, value);
    case "minimum":
      return typeof value != "number" || value >= (arg as number);
    case "exclusiveMinimum":
      return typeof value != "number" || value > (arg as number);
    case "maximum":
      return typeof value != "number" || value <= (arg as number);
    case "exclusiveMaximum":
      return typeof value != "number" || value < (arg as number);
    case "minItems":
      return !Array.isArray(value) || value.length >= (arg as number);
    case "minProperties":
      return !isObject(value) || Object.keys(value).length >= (arg as number);
    default:
      return true;
  }
}

function same(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** RE2 (buf.validate's) and ECMAScript regexes mostly agree; one this engine cannot read decides nothing. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return true;
  }
}
