import type { DescField, JsonObject } from "@bufbuild/protobuf";
import { declaredPermission } from "../../declared-permission.js";
import type { Binding } from "../http-rule.js";
import { fieldSchema, type RefTo } from "./field-schema.js";
import type { JsonSchema } from "./json-schema.js";
import { messageSchema } from "./message-schema.js";
import { openApiPath } from "./path-parameters.js";
import { queryParameters } from "./query-parameters.js";
import { sharedRefs } from "./shared-components.js";

/** The methods a path item can hold in OpenAPI 3.1. */
const itemMethods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/**
 * The `paths` object: one operation per binding. A custom HTTP method
 * (google.api.http `custom`) has no place in a 3.1 path item, so it goes under
 * `x-additionalOperations`, the field OpenAPI 3.2 gives such methods.
 * Where two bindings come out as the same method and path, the gateway serves
 * the first (route-table.ts keeps declaration order), and so only the first is
 * documented.
 */
export function buildPaths(bindings: readonly Binding[], ref: RefTo): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const ids = new Set<string>();
  for (const binding of bindings) {
    const { path, parameters } = openApiPath(binding, ref);
    const item = (paths[path] ??= {});
    const method = binding.httpMethod.toLowerCase();
    const slot = itemMethods.has(method) ? item : ((item["x-additionalOperations"] ??= {}) as JsonObject);
    const key = itemMethods.has(method) ? method : binding.httpMethod;
    if (slot[key] !== undefined) continue;
    slot[key] = operation(binding, operationId(binding, ids), [...parameters, ...queryParameters(binding, ref)], ref);
  }
  return paths;
}

function operation(binding: Binding, id: string, parameters: JsonSchema[], ref: RefTo): JsonSchema {
  const { method } = binding;
  const permission = declaredPermission(method);
  const op: JsonSchema = {
    operationId: id,
    tags: [method.parent.name],
    summary: method.name,
    description: `The RPC ${method.parent.typeName}/${method.name}.${permission ? ` Requires the permission ${permission}.` : ""}`,
    parameters: [...parameters, sharedRefs.orgHeader],
  };
  const body = requestBody(binding, ref);
  if (body) op["requestBody"] = { content: { "application/json": { schema: body } } };
  const answer = binding.responseBody ? fieldSchema(binding.responseBody, ref).schema : ref(method.output);
  op["responses"] = { "200": { description: "OK", content: { "application/json": { schema: answer } } }, default: sharedRefs.error };
  op["security"] = sharedRefs.security;
  if (method.deprecated) op["deprecated"] = true;
  return op;
}

/**
 * The body the rule reads: one field's JSON, or the whole request message.
 * A field the path sets is left out of the latter (the path would override
 * it), which makes the body a schema of its own rather than a `$ref`.
 * An empty body is read as `{}`, so a body is never required.
 */
function requestBody(binding: Binding, ref: RefTo): JsonSchema | undefined {
  if (binding.body === undefined) return undefined;
  if (binding.body !== "*") return fieldSchema(binding.body, ref).schema;
  const fromPath = new Set<DescField>(binding.pathFields.filter((fields) => fields.length === 1).map((fields) => fields[0]!));
  const input = binding.method.input;
  if (fromPath.size === 0) return ref(input);
  const rest = messageSchema(input, ref, fromPath);
  const names = [...fromPath].map((f) => f.jsonName);
  const without = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return { ...rest, description: `${input.typeName} without ${without}, which the path sets.${rest["description"] ? ` ${rest["description"]}` : ""}` };
}

/** grpc-gateway's ids, `Service_Method`, with a number for each further binding of the method (`…_ListExecutions2`). */
function operationId(binding: Binding, ids: Set<string>): string {
  const base = `${binding.method.parent.name}_${binding.method.name}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}${n}`;
  ids.add(id);
  return id;
}
