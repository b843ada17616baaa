import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
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

/** A guest value as host JSON through the guest's `JSON.stringify` (so toJSON applies), size-checked; undefined when it has no JSON form. */
export function readJson(env: GuestEnv, value: QuickJSHandle, what: string): { json: string; value: JsonValue } | undefined {
  const json = env.ops.stringify(value, what);
  if (json === undefined) return undefined;
  try {
    return { json, value: parseJson(json) };
  } catch {
    throw new ApiError(`${what} is nested too deeply`, "RangeError");
  }
}

/** An argument as JSON; a missing argument or one without a JSON form becomes null, as Go's nil. */
export function argJson(env: GuestEnv, value: QuickJSHandle | undefined, what: string): { json: string; value: JsonValue } {
  return (value && readJson(env, value, what)) ?? { json: "null", value: null };
}

function isNullish(env: GuestEnv, value: QuickJSHandle): boolean {
  const type = env.ops.typeOf(value);
  return type === "undefined" || type === "null";
}
