import type { JsonObject, JsonValue } from "../../runtime/index.js";
import { isObject, normalizeKey } from "./payload-reader.js";

/**
 * Edits of a protojson message that keep its spelling: protojson accepts a
 * field by its JSON name (`givenName`) or its proto name (`given_name`), and
 * rejects a message that names one field both ways. An edit writes to the key
 * the message already uses, else to the JSON name.
 */
export function keyFor(message: JsonObject, jsonName: string): string {
  const wanted = normalizeKey(jsonName);
  return Object.keys(message).find((key) => normalizeKey(key) === wanted) ?? jsonName;
}

export function setField(message: JsonObject, jsonName: string, value: JsonValue): void {
  message[keyFor(message, jsonName)] = value;
}

/** Removes a field in whichever spelling it has. */
export function removeField(message: JsonObject, jsonName: string): void {
  const wanted = normalizeKey(jsonName);
  for (const key of Object.keys(message)) {
    if (normalizeKey(key) === wanted) delete message[key];
  }
}

/** The sub-message at a field, created empty when it is absent. */
export function subMessage(message: JsonObject, jsonName: string): JsonObject {
  const key = keyFor(message, jsonName);
  const current = message[key];
  if (isObject(current)) return current;
  const created: JsonObject = {};
  message[key] = created;
  return created;
}

/** The repeated field at a name, created empty when it is absent. */
export function repeatedField(message: JsonObject, jsonName: string): JsonValue[] {
  const key = keyFor(message, jsonName);
  const current = message[key];
  if (Array.isArray(current)) return current;
  const created: JsonValue[] = [];
  message[key] = created;
  return created;
}
