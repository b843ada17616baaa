import type { DescEnum, DescMessage } from "@bufbuild/protobuf";
import { wrappedScalar } from "../field-path.js";
import type { JsonSchema } from "./json-schema.js";
import { scalarSchema } from "./scalar-schema.js";

/** The well-known types whose proto3 JSON is not an object of their fields. */
const wellKnown: Record<string, JsonSchema> = {
  "google.protobuf.Duration": {
    type: "string",
    pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$",
    description: 'Seconds with up to nine fractional digits and the suffix "s".',
    examples: ["1.5s", "20s"],
  },
  "google.protobuf.Timestamp": {
    type: "string",
    format: "date-time",
    description: "RFC 3339; written in UTC with the suffix Z.",
    examples: ["2024-05-01T12:00:00.123Z"],
  },
  "google.protobuf.FieldMask": { type: "string", description: "Field paths in lowerCamelCase, separated by commas." },
  "google.protobuf.Struct": { type: "object", description: "Any JSON object." },
  "google.protobuf.Value": { description: "Any JSON value." },
  "google.protobuf.ListValue": { type: "array", description: "Any JSON array." },
  "google.protobuf.Empty": { type: "object" },
  "google.protobuf.Any": {
    type: "object",
    properties: { "@type": { type: "string", description: "type.googleapis.com/ and the full name of the message type." } },
    required: ["@type"],
    description: 'A message of the type "@type" names, its fields inline; a type with a JSON form of its own (Duration, Struct, …) is under "value".',
  },
};

/** The component schema of a well-known message type, or undefined for a message whose JSON is its fields. */
export function wellKnownMessageSchema(message: DescMessage): JsonSchema | undefined {
  const known = wellKnown[message.typeName];
  if (known) return known;
  const wrapped = wrappedScalar(message);
  return wrapped === undefined ? undefined : { ...scalarSchema(wrapped), description: "The wrapped value itself." };
}

/** NullValue's JSON is `null`; every other enum is written by name. */
export function enumSchema(e: DescEnum): JsonSchema {
  if (e.typeName === "google.protobuf.NullValue") return { type: "null" };
  return { type: "string", enum: e.values.map((v) => v.name) };
}
