import { ScalarType, type DescEnum, type DescField, type DescMessage, type JsonValue } from "@bufbuild/protobuf";

const byName = new WeakMap<DescMessage, Map<string, DescField>>();

/** A field by its proto name (`name_prefix`) or JSON name (`namePrefix`), as grpc-gateway accepts both. */
export function findField(message: DescMessage, name: string): DescField | undefined {
  let names = byName.get(message);
  if (!names) {
    names = new Map();
    for (const f of message.fields) names.set(f.name, f).set(f.jsonName, f);
    byName.set(message, names);
  }
  return names.get(name);
}

export type ResolveResult = { fields: DescField[]; error?: undefined } | { fields?: undefined; error: string };

/**
 * Resolves a dotted path (`query.limit`) to its fields. Every step but the last
 * must be a singular message: that is all a flat string can address.
 */
export function resolveFieldPath(root: DescMessage, path: readonly string[]): ResolveResult | undefined {
  const fields: DescField[] = [];
  let message: DescMessage | undefined = root;
  for (const name of path) {
    if (!message) return { error: `"${path.join(".")}": ${fields[fields.length - 1]!.name} is not a message` };
    const field = findField(message, name);
    if (!field) return undefined;
    fields.push(field);
    message = field.fieldKind === "message" ? field.message : undefined;
  }
  return { fields };
}

/** Well-known types whose JSON form is a string, so a path or query value can carry them. */
const stringWkts = new Set(["google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"]);

export type Element =
  | { kind: "scalar"; scalar: ScalarType }
  | { kind: "enum"; enum: DescEnum }
  | { kind: "message"; message: DescMessage };

/** What one value of the field is, whether the field is singular or repeated; undefined for a map. */
export function element(field: DescField): Element | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return { kind: "scalar", scalar: field.scalar };
    case "enum":
      return { kind: "enum", enum: field.enum };
    case "message":
      return { kind: "message", message: field.message };
    case "list":
      if (field.listKind === "scalar") return { kind: "scalar", scalar: field.scalar };
      return field.listKind === "enum" ? { kind: "enum", enum: field.enum } : { kind: "message", message: field.message };
    case "map":
      return undefined;
  }
}

/** Whether a flat string can set this field, and how often. */
export function leafKind(field: DescField): "single" | "repeated" | undefined {
  const e = element(field);
  if (!e || (e.kind === "message" && !stringWkts.has(e.message.typeName) && !wrappedScalar(e.message))) return undefined;
  return field.fieldKind === "list" ? "repeated" : "single";
}

export type ConvertResult = { value: JsonValue; error?: undefined } | { value?: undefined; error: string };

/**
 * Turns a path or query string into the proto3 JSON value of the field, so the
 * whole request goes through one fromJson. Numbers stay strings (proto3 JSON
 * accepts them, and int64 keeps its precision); bools and enums get
 * grpc-gateway's parsing, which rejects unknown enum names even where the JSON
 * body decoder would drop them.
 */
export function stringToJson(field: DescField, text: string): ConvertResult {
  const e = element(field);
  switch (e?.kind) {
    case "scalar":
      return scalarToJson(field.name, e.scalar, text);
    case "enum":
      if (/^-?\d+$/.test(text)) return { value: Number(text) };
      if (e.enum.values.some((v) => v.name === text)) return { value: text };
      return { error: `invalid value for enum field ${field.name}: "${text}"` };
    case "message": {
      const wrapped = wrappedScalar(e.message);
      return wrapped === undefined ? { value: text } : scalarToJson(field.name, wrapped, text);
    }
    default:
      return { error: `field ${field.name} cannot be set from a string` };
  }
}

function scalarToJson(name: string, type: ScalarType, text: string): ConvertResult {
  if (type !== ScalarType.BOOL) return { value: text };
  // strconv.ParseBool, which grpc-gateway uses.
  if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return { value: true };
  if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return { value: false };
  return { error: `invalid value for bool field ${name}: "${text}"` };
}

/** google.protobuf.*Value wrappers take the JSON form of the scalar they wrap. */
export function wrappedScalar(message: DescMessage): ScalarType | undefined {
  if (message.file.name !== "google/protobuf/wrappers") return undefined;
  const value = message.fields[0];
  return value?.fieldKind === "scalar" ? value.scalar : undefined;
}
