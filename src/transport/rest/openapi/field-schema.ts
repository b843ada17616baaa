import { getOption, hasOption, ScalarType, toJson, type DescEnum, type DescField, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import {
  field as fieldRules,
  FieldRulesSchema,
  message as messageRules,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { effectiveConstraints, ruleSchema } from "./field-rules.js";
import { withConstraints, withNotes, type JsonSchema } from "./json-schema.js";
import { scalarSchema } from "./scalar-schema.js";
import { hasPresence, shapeOf, zeroOf, type ValueShape } from "./value-shape.js";
import { mayAccept } from "./zero-check.js";

/** A `$ref` to a message's or enum's component schema, which registers it (component-schemas.ts). */
export type RefTo = (desc: DescMessage | DescEnum) => JsonSchema;

export interface FieldSchema {
  schema: JsonSchema;
  /**
   * The server refuses a request without it: `required: true`, or a field
   * without presence whose zero value (what an absent key reads as) fails its
   * rules, as an empty name fails `min_len: 1`.
   */
  required: boolean;
}

/** A field's schema: its JSON form, with its buf.validate rules as constraints and the rest in its description. */
export function fieldSchema(field: DescField, ref: RefTo): FieldSchema {
  const shape = shapeOf(field);
  const rules = hasOption(field, fieldRules) ? (toJson(FieldRulesSchema, getOption(field, fieldRules)) as JsonObject) : {};
  // A member of a buf.validate.message oneof rule is checked only when set, unless its own `ignore` says otherwise.
  if (rules["ignore"] === undefined && inMessageOneofRule(field)) rules["ignore"] = "IGNORE_IF_ZERO_VALUE";
  const ruled = ruleSchema(shape, rules);
  let schema = withNotes(withConstraints(shapeSchema(shape, ref), effectiveConstraints(shape, ruled)), validationNotes(ruled.notes));
  if (field.deprecated) schema = { ...schema, deprecated: true };
  const zero = hasPresence(field) ? undefined : zeroOf(shape);
  const required = ruled.required || (zero !== undefined && !ruled.ignoreIfZero && !mayAccept(ruled.constraints, zero));
  return { schema, required };
}

function inMessageOneofRule(field: DescField): boolean {
  return hasOption(field.parent, messageRules) && getOption(field.parent, messageRules).oneof.some((rule) => rule.fields.includes(field.name));
}

/** The sentence that says what the server checks beyond the schema, if anything. */
export function validationNotes(notes: readonly string[]): string[] {
  return notes.length === 0 ? [] : [`Also validated (buf.validate): ${notes.join("; ")}.`];
}

function shapeSchema(shape: ValueShape, ref: RefTo): JsonSchema {
  switch (shape.kind) {
    case "scalar":
      return scalarSchema(shape.scalar);
    case "enum":
      return ref(shape.enum);
    case "message":
      return ref(shape.message);
    case "list":
      return { type: "array", items: shapeSchema(shape.element, ref) };
    case "map":
      return { type: "object", additionalProperties: shapeSchema(shape.value, ref), ...mapKeyNames(shape.key) };
  }
}

/** Map keys are JSON object keys, so strings: a number or bool key is written as its decimal or `true`/`false`. */
function mapKeyNames(key: ScalarType): JsonSchema {
  switch (key) {
    case ScalarType.STRING:
      return {};
    case ScalarType.BOOL:
      return { propertyNames: { enum: ["true", "false"] } };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { propertyNames: { pattern: "^[0-9]+$" } };
    default:
      return { propertyNames: { pattern: "^-?[0-9]+$" } };
  }
}
