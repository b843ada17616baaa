import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { maxValueDepth } from "./limits.js";
import { type JsonShape, jsonShape } from "./result-size.js";
import { parseJson } from "./safe-json.js";
import type { JsonValue } from "./types.js";

/** A Go `string` parameter as goja fills it: "" for a missing, undefined or null argument, else `String(value)`. */
export function argText(env: GuestEnv, value: QuickJSHandle | undefined): string {
  if (!value || isNullish(env, value)) return "";
  return env.ops.text(value);
}

/** A Go `bool` parameter: JavaScript truthiness. */
export function argTruthy(env: GuestEnv, value: QuickJSHandle | undefined): boolean {
  if (!value) return false;
  const { vm } = env;
  switch (env.ops.typeOf(value)) {
    case "boolean":
      return env.ops.bool(value);
    case "number": {
      const n = vm.getNumber(value);
      return n !== 0 && !Number.isNaN(n);
    }
    case "string":
      return env.ops.readString(value, 1).text.length > 0;
    case "undefined":
    case "null":
      return false;
    default:
      return true;
  }
}

/** A key argument that ZITADEL type-asserts to a string. */
export function argKey(env: GuestEnv, value: QuickJSHandle | undefined, what: string): string {
  if (!value || env.vm.typeof(value) !== "string") throw new ApiError(`${what} must be a string`, "TypeError");
  return env.ops.text(value);
}

/**
 * A guest value as JSON text through the guest's `JSON.stringify` (so toJSON
 * applies), size- and depth-checked; undefined when it has no JSON form.
 * `wrapping` is how many levels the value's container adds (a list of
 * entries), so the values inside may still nest `maxValueDepth` levels.
 */
export function readJsonText(env: GuestEnv, value: QuickJSHandle, what: string, wrapping = 0): { json: string; shape: JsonShape } | undefined {
  const read = checkedJson(env, value, what, wrapping);
  if (read) parsed(read.json, what, JSON.parse);
  return read;
}

/** A guest value as host JSON, checked as `readJsonText` does. */
export function readJson(env: GuestEnv, value: QuickJSHandle, what: string, wrapping = 0): { json: string; value: JsonValue } | undefined {
  const read = checkedJson(env, value, what, wrapping);
  return read && { json: read.json, value: parsed(read.json, what, parseJson) };
}

/** The depth is read from the text, before anything parses it: a deep value never reaches a recursion. */
function checkedJson(env: GuestEnv, value: QuickJSHandle, what: string, wrapping: number): { json: string; shape: JsonShape } | undefined {
  const json = env.ops.stringify(value, what);
  if (json === undefined) return undefined;
  const shape = jsonShape(json);
  if (shape.depth > maxValueDepth + wrapping) {
    throw new ApiError(`${what} is nested too deeply: more than ${maxValueDepth} levels, which protobuf clients refuse`, "RangeError");
  }
  return { json, shape };
}

/** Parses checked text; it fails only when the script replaced `JSON.stringify`. */
function parsed(json: string, what: string, parse: (text: string) => unknown): JsonValue {
  try {
    return parse(json) as JsonValue;
  } catch {
    throw new ApiError(`${what} has no valid JSON form`, "TypeError");
  }
}

/** An argument as JSON text; a missing argument or one without a JSON form becomes null, as Go's nil. */
export function argJson(env: GuestEnv, value: QuickJSHandle | undefined, what: string): { json: string; shape: JsonShape } {
  return (value && readJsonText(env, value, what)) ?? { json: "null", shape: { depth: 0, values: 1 } };
}

function isNullish(env: GuestEnv, value: QuickJSHandle): boolean {
  const type = env.ops.typeOf(value);
  return type === "undefined" || type === "null";
}
