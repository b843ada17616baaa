import { getOption, hasOption, toJson, type DescField, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import {
  message as messageRules,
  MessageRulesSchema,
  oneof as oneofRules,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { celNotes } from "./field-rules.js";
import { fieldSchema, validationNotes, type RefTo } from "./field-schema.js";
import { isObject, withNotes, type JsonSchema } from "./json-schema.js";
import { readRules } from "./rule-reader.js";
import { wellKnownMessageSchema } from "./well-known-schemas.js";

/**
 * A message's schema: an object of its fields under their JSON names, as the
 * gateway writes them. `omit` leaves out fields a request's path sets. Keys
 * the message does not declare are ignored by the gateway, so the object is
 * not closed.
 */
export function messageSchema(message: DescMessage, ref: RefTo, omit: ReadonlySet<DescField> = new Set()): JsonSchema {
  const known = wellKnownMessageSchema(message);
  if (known) return known;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const field of message.fields) {
    if (omit.has(field)) continue;
    const f = fieldSchema(field, ref);
    properties[field.jsonName] = f.schema;
    if (f.required) required.push(field.jsonName);
  }
  const schema: JsonSchema = { type: "object", properties };
  if (required.length > 0) schema["required"] = required;

  const { groups, notes } = messageRuleGroups(message);
  const exclusive = [
    ...message.oneofs.map((o) => exclusiveGroup(o.fields, hasOption(o, oneofRules) && getOption(o, oneofRules).required, omit)),
    ...groups.map((g) => exclusiveGroup(g.fields, g.required, omit)),
  ].filter((g) => g !== undefined);
  if (exclusive.length > 0) schema["allOf"] = exclusive;
  return withNotes(message.deprecated ? { ...schema, deprecated: true } : schema, validationNotes(notes));
}

/** buf.validate.message: its `oneof` rules are groups like a oneof's; its CEL and anything else go to the description. */
function messageRuleGroups(message: DescMessage): { groups: { fields: DescField[]; required: boolean }[]; notes: string[] } {
  if (!hasOption(message, messageRules)) return { groups: [], notes: [] };
  const r = readRules(toJson(MessageRulesSchema, getOption(message, messageRules)) as JsonObject, "");
  const notes = celNotes(r.take("cel"), r.take("celExpression"));
  const rules = r.take("oneof");
  const groups = (Array.isArray(rules) ? rules : []).filter(isObject).map((rule) => ({
    fields: (Array.isArray(rule["fields"]) ? rule["fields"] : []).flatMap((name) => message.fields.filter((f) => f.name === name)),
    required: rule["required"] === true,
  }));
  return { groups, notes: [...notes, ...r.unsaid()] };
}

/**
 * At most one of the fields may be set, exactly one when required: one
 * `oneOf` branch per field, plus one for none of them when none is allowed.
 * Only the JSON names are checked; the gateway also accepts the proto names.
 */
function exclusiveGroup(fields: readonly DescField[], required: boolean, omit: ReadonlySet<DescField>): JsonSchema | undefined {
  const present = fields.filter((f) => !omit.has(f)).map((f) => ({ required: [f.jsonName] }));
  if (present.length === 0) return undefined;
  // The path sets one of them, so the body may set none of the others.
  if (present.length < fields.length) return { not: { anyOf: present } };
  if (present.length === 1 && !required) return undefined;
  return { oneOf: required ? present : [...present, { not: { anyOf: present } }] };
}
