import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { leafKind } from "../field-path.js";
import type { Binding } from "../http-rule.js";
import { boundOutsideQuery, readsQuery } from "../request-binding.js";
import { fieldSchema, type RefTo } from "./field-schema.js";
import type { JsonSchema } from "./json-schema.js";

/**
 * The query parameters the gateway binds for a rule (request-binding.ts):
 * every field a flat string can set (scalars, enums, the string-valued
 * well-known types, wrappers, and lists of those) that the path and the body
 * leave free, reached through singular message fields as a dotted path. The
 * gateway takes proto and JSON names alike; the JSON names are documented.
 * A message that contains itself is followed once.
 */
export function queryParameters(binding: Binding, ref: RefTo): JsonSchema[] {
  if (!readsQuery(binding)) return [];
  const parameters: JsonSchema[] = [];
  const walk = (message: DescMessage, path: DescField[], within: ReadonlySet<DescMessage>) => {
    for (const field of message.fields) {
      const fields = [...path, field];
      if (leafKind(field) !== undefined) {
        if (!boundOutsideQuery(binding, fields)) parameters.push(parameter(fields, ref));
      } else if (field.fieldKind === "message" && !within.has(field.message)) {
        walk(field.message, fields, new Set(within).add(field.message));
      }
    }
  };
  walk(binding.method.input, [], new Set([binding.method.input]));
  return parameters;
}

/** A nested field is never required: its rules apply only when the message holding it is set. */
function parameter(fields: readonly DescField[], ref: RefTo): JsonSchema {
  const { schema, required } = fieldSchema(fields.at(-1)!, ref);
  const parameter: JsonSchema = { name: fields.map((f) => f.jsonName).join("."), in: "query", schema };
  if (required && fields.length === 1) parameter["required"] = true;
  return parameter;
}
