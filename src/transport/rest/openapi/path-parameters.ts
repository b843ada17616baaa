import type { Binding } from "../http-rule.js";
import type { Segment } from "../path-template.js";
import { fieldSchema, type RefTo } from "./field-schema.js";
import { withConstraints, type JsonSchema } from "./json-schema.js";

export interface OpenApiPath {
  /** The OpenAPI path: literals, `{name}` per variable, and the verb (`/v1/{name}:cancel`). */
  path: string;
  parameters: JsonSchema[];
}

/**
 * A binding's compiled template as an OpenAPI path. A variable is named by
 * its field path as the annotation writes it (`{flow_type}`, `{action.id}`);
 * one spanning more than a segment (`{name=docs/**}`) gets a pattern, and a
 * wildcard outside any variable, which binds no field, a parameter of its own.
 */
export function openApiPath(binding: Binding, ref: RefTo): OpenApiPath {
  const { segments, variables, verb } = binding.template;
  const parts: string[] = [];
  const parameters: JsonSchema[] = [];
  let wildcards = 0;
  for (let i = 0; i < segments.length; ) {
    const index = variables.findIndex((v) => v.start === i);
    if (index !== -1) {
      const variable = variables[index]!;
      const name = variable.fieldPath.join(".");
      const field = fieldSchema(binding.pathFields[index]!.at(-1)!, ref);
      const spanned = segments.slice(variable.start, variable.end);
      parts.push(`{${name}}`);
      parameters.push(pathParameter(name, withConstraints(field.schema, spanPattern(spanned))));
      i = variable.end;
      continue;
    }
    const segment = segments[i++]!;
    if (segment.kind === "literal") {
      parts.push(segment.value);
      continue;
    }
    const name = `wildcard${++wildcards}`;
    parts.push(`{${name}}`);
    parameters.push({ ...pathParameter(name, { type: "string", ...spanPattern([segment]) }), description: "Matched, but bound to no field." });
  }
  return { path: `/${parts.join("/")}${verb === undefined ? "" : `:${verb}`}`, parameters };
}

function pathParameter(name: string, schema: JsonSchema): JsonSchema {
  return { name, in: "path", required: true, schema };
}

/** A variable of one `*` is any one segment, which needs no pattern; anything else does. */
function spanPattern(segments: readonly Segment[]): JsonSchema {
  if (segments.length === 1 && segments[0]!.kind === "any") return {};
  const parts = segments.map((s) => (s.kind === "literal" ? escapeRegex(s.value) : s.kind === "any" ? "[^/]+" : ".+"));
  return { pattern: `^${parts.join("/")}$` };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
