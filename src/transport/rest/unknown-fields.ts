import type { DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { findField } from "./field-path.js";

/**
 * Removes the keys a message does not declare, recursively, as grpc-gateway's
 * `DiscardUnknown` does. protobuf-es's own `ignoreUnknownFields` would also
 * drop unknown enum names, which must stay an error; so the body is pruned
 * here and then decoded strictly. Well-known types keep their JSON as it is.
 */
export function dropUnknownFields(message: DescMessage, json: JsonObject): JsonObject {
  if (message.typeName.startsWith("google.protobuf.")) return json;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = findField(message, key);
    if (!field) continue;
    out[key] = field.message && value !== null ? pruneValue(field.message, value, field.fieldKind) : value;
  }
  return out;
}

function pruneValue(message: DescMessage, value: JsonValue, kind: string): JsonValue {
  const prune = (v: JsonValue) => (isObject(v) ? dropUnknownFields(message, v) : v);
  if (kind === "list" && Array.isArray(value)) return value.map(prune);
  if (kind === "map" && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prune(v)]));
  }
  return prune(value);
}

function isObject(v: JsonValue): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
