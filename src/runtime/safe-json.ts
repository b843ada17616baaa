import type { JsonObject, JsonValue } from "./json.js";

/**
 * JSON that crossed from a guest, as plain objects without any `"__proto__"`
 * key: JSON.parse makes such a key an own property, which `Object.assign`,
 * a naive merge or a `fields[key] = value` copy downstream (protobuf Struct)
 * would turn into a prototype change. No claim or option has that name.
 */
export function parseJson(text: string): JsonValue {
  return JSON.parse(text, dropProtoKeys) as JsonValue;
}

/** A validated deep copy of caller data, in the same form as `parseJson`. */
export function cloneJson(value: unknown, path: string, depth = 0): JsonValue {
  if (depth > 200) throw new TypeError(`${path}: nested too deeply`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: must be a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => cloneJson(item, `${path}[${i}]`, depth + 1));
  if (isRecord(value)) {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (key !== "__proto__") copy[key] = cloneJson(value[key], `${path}.${key}`, depth + 1);
    }
    return copy;
  }
  throw new TypeError(`${path}: must be a JSON value`);
}

/** A lookup table keyed by guest-chosen strings, where even `__proto__` is just a key. */
export function emptyTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function dropProtoKeys(key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}
