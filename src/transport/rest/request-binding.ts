import { fromJson, type DescField, type JsonObject, type JsonValue, type Message, type Registry } from "@bufbuild/protobuf";
import { leafKind, resolveFieldPath, stringToJson } from "./field-path.js";
import type { Binding } from "./http-rule.js";
import { dropUnknownFields } from "./unknown-fields.js";

export type BindResult = { message: Message; error?: undefined } | { message?: undefined; error: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Builds the request message as grpc-gateway does: the JSON body first (all of
 * it, or one field), then path variables over it, then query parameters for
 * whatever the body does not bind. Everything is assembled as proto3 JSON and
 * decoded once, so the messages a client sees are the protojson parser's.
 * Failures are values: the caller answers them with InvalidArgument.
 */
export function bindRequest(
  binding: Binding,
  pathValues: readonly string[],
  query: URLSearchParams,
  body: Uint8Array | undefined,
  registry: Registry,
): BindResult {
  const input = binding.method.input;
  let root: JsonObject = {};
  if (binding.body !== undefined && body !== undefined) {
    const parsed = parseBody(body);
    if (parsed.error !== undefined) return parsed;
    if (binding.body !== "*") {
      if (parsed.value !== undefined) root[binding.body.jsonName] = parsed.value;
    } else if (parsed.value !== undefined) {
      if (!isObject(parsed.value)) return { error: `invalid request body: ${input.typeName} must be a JSON object` };
      root = parsed.value;
    }
  }

  for (let i = 0; i < pathValues.length; i++) {
    const fields = binding.pathFields[i]!;
    const converted = stringToJson(fields.at(-1)!, pathValues[i]!);
    if (converted.error !== undefined) return converted;
    setJson(root, fields, converted.value, false);
  }

  if (readsQuery(binding)) {
    const error = bindQuery(root, binding, query);
    if (error !== undefined) return { error };
  }

  try {
    return { message: fromJson(input, dropUnknownFields(input, root), { registry }) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** An empty body is `{}` (grpc-gateway ignores io.EOF); anything else must be valid UTF-8 JSON. */
function parseBody(bytes: Uint8Array): { value: JsonValue | undefined; error?: undefined } | { error: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { error: "invalid request body: not valid UTF-8" };
  }
  if (text.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch (err) {
    return { error: `invalid request body: ${(err as Error).message}` };
  }
}

function bindQuery(root: JsonObject, binding: Binding, query: URLSearchParams): string | undefined {
  for (const key of new Set(query.keys())) {
    const resolved = resolveFieldPath(binding.method.input, key.split("."));
    if (!resolved || resolved.error !== undefined) continue; // unknown parameters are ignored, as in grpc-gateway
    const fields = resolved.fields;
    if (boundOutsideQuery(binding, fields)) continue;
    const leaf = fields.at(-1)!;
    const kind = leafKind(leaf);
    if (kind === undefined) return `query parameter "${key}" cannot set field ${leaf.name}`;
    const values = query.getAll(key);
    if (kind === "single" && values.length > 1) return `too many values for query parameter "${key}"`;
    for (const text of values) {
      const converted = stringToJson(leaf, text);
      if (converted.error !== undefined) return converted.error;
      setJson(root, fields, converted.value, kind === "repeated");
    }
  }
  return undefined;
}

/**
 * Sets (or appends to) the value at a field path. A client may have used the
 * proto name or the JSON name in the body; the value written here must replace
 * either, so both keys are dropped and the JSON name is written.
 */
function setJson(root: JsonObject, fields: readonly DescField[], value: JsonValue, append: boolean): void {
  let obj = root;
  for (const [i, field] of fields.entries()) {
    const existing = obj[field.jsonName] ?? obj[field.name];
    delete obj[field.name];
    if (i < fields.length - 1) {
      const next = isObject(existing) ? existing : {};
      obj[field.jsonName] = next;
      obj = next;
    } else {
      obj[field.jsonName] = append ? [...(Array.isArray(existing) ? existing : []), value] : value;
    }
  }
}

/** A rule whose body is the whole message (`body: "*"`) leaves nothing for the query. */
export function readsQuery(binding: Binding): boolean {
  return binding.body !== "*";
}

/**
 * Whether the path or the body binds these fields, or a part of them or a
 * message holding them: such fields are not overridable from the query.
 */
export function boundOutsideQuery(binding: Binding, fields: readonly DescField[]): boolean {
  const bound = binding.pathFields.concat(typeof binding.body == "object" ? [[binding.body]] : []);
  return bound.some((b) => isPrefix(b, fields) || isPrefix(fields, b));
}

function isPrefix(prefix: readonly DescField[], path: readonly DescField[]): boolean {
  return prefix.length <= path.length && prefix.every((f, i) => f === path[i]);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value == "object" && value !== null && !Array.isArray(value);
}
