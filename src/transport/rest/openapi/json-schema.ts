import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** A JSON Schema in the 2020-12 dialect that OpenAPI 3.1 uses, as plain JSON. */
export type JsonSchema = JsonObject;

/** Where every message and enum schema lives: under its full protobuf name, so a name never collides. */
export function refTo(typeName: string): JsonSchema {
  return { $ref: `#/components/schemas/${typeName}` };
}

const lowerBounds = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"]);
const upperBounds = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"]);
const subschemas = new Set(["items", "additionalProperties", "propertyNames"]);

/**
 * Adds constraints to a schema. A bound both sides set keeps the tighter one
 * (a uint32's own range and a rule's `lte`), a subschema both set is merged,
 * and any other keyword both set differently goes into `allOf`.
 */
export function withConstraints(schema: JsonSchema, constraints: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const [key, value] of Object.entries(constraints)) {
    const current = out[key];
    if (typeof current == "number" && typeof value == "number" && (lowerBounds.has(key) || upperBounds.has(key))) {
      out[key] = lowerBounds.has(key) ? Math.max(current, value) : Math.min(current, value);
    } else if (subschemas.has(key) && isObject(current) && isObject(value)) {
      out[key] = withConstraints(current, value);
    } else if (current !== undefined && JSON.stringify(current) !== JSON.stringify(value)) {
      // Both say something different (a float's anyOf and IGNORE_IF_ZERO_VALUE's): both must hold.
      out["allOf"] = [...(Array.isArray(out["allOf"]) ? out["allOf"] : []), { [key]: value }];
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Joins notes into a schema's description, after whatever it says already. */
export function withNotes(schema: JsonSchema, notes: readonly string[]): JsonSchema {
  if (notes.length === 0) return schema;
  const text = notes.join(" ");
  const description = typeof schema["description"] == "string" ? `${schema["description"]} ${text}` : text;
  return { ...schema, description };
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value == "object" && value !== null && !Array.isArray(value);
}
