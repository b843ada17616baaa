import { ScalarType, type JsonValue } from "@bufbuild/protobuf";
import type { JsonSchema } from "./json-schema.js";

/** protojson writes a float that is not finite as one of these strings. */
const nonFinite: JsonSchema = { type: "string", enum: ["NaN", "Infinity", "-Infinity"] };

/**
 * The proto3 JSON form of a scalar, as the gateway writes it: 64-bit integers
 * as decimal strings (a JSON number would lose precision in JavaScript
 * clients; numbers are accepted on input too), bytes as base64.
 */
export function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", format: "uint32", minimum: 0, maximum: 4294967295 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: "string", format: "int64" };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", format: "uint64" };
    case ScalarType.FLOAT:
      return { anyOf: [{ type: "number" }, nonFinite], format: "float" };
    case ScalarType.DOUBLE:
      return { anyOf: [{ type: "number" }, nonFinite], format: "double" };
  }
}

/** A scalar's zero value in JSON: what a field without presence reads as when the client leaves it out. */
export function scalarZero(scalar: ScalarType): JsonValue {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return "";
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return "0";
    default:
      return 0;
  }
}

