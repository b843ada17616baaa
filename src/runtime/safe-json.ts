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
