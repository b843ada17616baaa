import { ScalarType, type DescEnum, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { FieldRulesSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { wrappedScalar } from "../field-path.js";
import { isObject, withConstraints, type JsonSchema } from "./json-schema.js";
import { finite, finiteList, readRules, type RuleReader } from "./rule-reader.js";
import { zeroOf, type ValueShape } from "./value-shape.js";

/** What a value's buf.validate rules (a field's, or its items', keys' or values') add to its schema. */
export interface RuleSchema {
  constraints: JsonSchema;
  /** The rules JSON Schema cannot say, as `path.rule: value`, and the CEL rules. */
  notes: string[];
  /** `required: true`: the field must be set (to a value other than its zero value, where it has no presence). */
  required: boolean;
  /** IGNORE_IF_ZERO_VALUE: the zero value is accepted whatever the rules say. */
  ignoreIfZero: boolean;
}

/** String rules that are a JSON Schema format; the others (`address`, `ulid`, …) stay in the description. */
const stringFormats: Record<string, string> = {
  email: "email",
  hostname: "hostname",
  ipv4: "ipv4",
  ipv6: "ipv6",
  uri: "uri",
  uriRef: "uri-reference",
  uuid: "uuid",
};

/** FieldRules' `type` oneof, by JSON name: the rules message of each kind of value (`string`, `int32`, `repeated`, …). */
const ruleKinds = FieldRulesSchema.oneofs.find((o) => o.name === "type")!.fields.map((f) => f.jsonName);

/** Rule kinds whose values are JSON numbers. 64-bit integers are JSON strings, so their bounds stay in the description. */
const numberKinds = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32", "float", "double"]);

/**
 * Maps buf.validate.FieldRules, in their JSON form, to JSON Schema. The JSON
 * form keeps exactly the rules that are set (proto2 presence: a `const: 0` is
 * there, an unset `const` is not), and each rule read is ticked off, so a rule
 * without a keyword (bytes, durations, timestamps, 64-bit bounds, prefixes, …)
 * lands in `notes` rather than being dropped.
 */
export function ruleSchema(shape: ValueShape, rules: JsonObject, path = ""): RuleSchema {
  const r = readRules(rules, path);
  const required = r.take("required") === true;
  const ignore = r.take("ignore");
  if (ignore === "IGNORE_ALWAYS") return { constraints: {}, notes: [], required: false, ignoreIfZero: false };
  const notes = celNotes(r.take("cel"), r.take("celExpression"));
  const parts: JsonSchema[] = [];
  for (const kind of ruleKinds) {
    const value = r.take(kind);
    if (isObject(value)) parts.push(...kindConstraints(shape, kind, value, `${path}${kind}.`, notes));
  }
  notes.push(...r.unsaid());
  return { constraints: parts.reduce(withConstraints, {}), notes, required, ignoreIfZero: ignore === "IGNORE_IF_ZERO_VALUE" };
}

/**
 * The constraints to put on the value's schema. Under IGNORE_IF_ZERO_VALUE
 * the zero value passes too, so the constraints become one branch of anyOf.
 */
export function effectiveConstraints(shape: ValueShape, ruled: RuleSchema): JsonSchema {
  const zero = zeroOf(shape);
  if (!ruled.ignoreIfZero || zero === undefined || Object.keys(ruled.constraints).length === 0) return ruled.constraints;
  return { anyOf: [{ const: zero }, ruled.constraints] };
}

function kindConstraints(shape: ValueShape, kind: string, rules: JsonObject, path: string, notes: string[]): JsonSchema[] {
  const r = readRules(rules, path);
  const parts = kindParts(shape, kind, r, path, notes);
  notes.push(...r.unsaid());
  return parts;
}

function kindParts(shape: ValueShape, kind: string, r: RuleReader, path: string, notes: string[]): JsonSchema[] {
  if (kind === "repeated" && shape.kind === "list") return repeatedRules(r, shape.element, path, notes);
  if (kind === "map" && shape.kind === "map") return mapRules(r, shape, path, notes);
  if (kind === "enum" && shape.kind === "enum") return enumRules(r, shape.enum);
  // A wrapper (google.protobuf.StringValue, …) takes its scalar's rules, and its JSON is that scalar's.
  const scalar = shape.kind === "scalar" ? shape.scalar : shape.kind === "message" ? wrappedScalar(shape.message) : undefined;
  if (kind === "string" && scalar === ScalarType.STRING) return stringRules(r);
  if (kind === "bool") return [r.as("const", "const"), r.as("example", "examples")];
  if (numberKinds.has(kind)) return numberRules(r, path, notes);
  return [];
}

function stringRules(r: RuleReader): JsonSchema[] {
  const len = r.as("len", "len", finite)["len"];
  const exact: JsonSchema = len === undefined ? {} : { minLength: len, maxLength: len };
  return [
    r.as("const", "const"),
    exact,
    r.as("minLen", "minLength", finite),
    r.as("maxLen", "maxLength", finite),
    r.as("pattern", "pattern"),
    r.as("in", "enum"),
    r.as("notIn", "not", (list) => ({ enum: list })),
    r.as("example", "examples"),
    ...Object.entries(stringFormats).map(([rule, format]): JsonSchema => (r.take(rule) === true ? { format } : {})),
  ];
}

/**
 * Bounds as JSON Schema has them, unless they are given in reverse order
 * (`gt: 10, lt: 5`), which buf.validate reads as "outside the range": that
 * has no keyword, so those stay in the description.
 */
function numberRules(r: RuleReader, path: string, notes: string[]): JsonSchema[] {
  const parts = [
    r.as("const", "const", finite),
    r.as("in", "enum", finiteList),
    r.as("notIn", "not", (list) => {
      const numbers = finiteList(list);
      return numbers && { enum: numbers };
    }),
    r.as("example", "examples", finiteList),
    // Not NaN or ±Infinity: the number branch of the float schema only.
    r.take("finite") === true ? { type: "number" } : {},
  ];
  const [lt, lte, gt, gte] = ["lt", "lte", "gt", "gte"].map((rule) => r.as(rule, rule, finite)[rule] as number | undefined);
  const upper = lt ?? lte;
  const lower = gt ?? gte;
  if (upper !== undefined && lower !== undefined && (upper < lower || (upper === lower && lt !== undefined && gt !== undefined))) {
    notes.push(`${path}${gt !== undefined ? "gt" : "gte"}: ${lower} and ${lt !== undefined ? "lt" : "lte"}: ${upper} (outside that range)`);
    return parts;
  }
  const bound = (keyword: string, value: number | undefined): JsonSchema => (value === undefined ? {} : { [keyword]: value });
  return [...parts, bound("exclusiveMaximum", lt), bound("maximum", lte), bound("exclusiveMinimum", gt), bound("minimum", gte)];
}

/** `defined_only` needs no keyword: the enum's schema lists only its defined names. */
function enumRules(r: RuleReader, e: DescEnum): JsonSchema[] {
  const name = (n: JsonValue) => e.values.find((v) => v.number === n)?.name ?? n;
  const names = (list: JsonValue) => (Array.isArray(list) ? list.map(name) : undefined);
  r.take("definedOnly");
  return [
    r.as("const", "const", name),
    r.as("in", "enum", names),
    r.as("notIn", "not", (list) => ({ enum: names(list) ?? [] })),
    r.as("example", "examples", names),
  ];
}

function repeatedRules(r: RuleReader, element: ValueShape, path: string, notes: string[]): JsonSchema[] {
  const parts = [r.as("minItems", "minItems", finite), r.as("maxItems", "maxItems", finite), r.take("unique") === true ? { uniqueItems: true } : {}];
  const items = r.take("items");
  if (isObject(items)) parts.push(nested("items", element, items, `${path}items.`, notes));
  return parts;
}

function mapRules(r: RuleReader, shape: Extract<ValueShape, { kind: "map" }>, path: string, notes: string[]): JsonSchema[] {
  const parts = [r.as("minPairs", "minProperties", finite), r.as("maxPairs", "maxProperties", finite)];
  // JSON object keys are strings: rules on other key types (numbers, bools) cannot become propertyNames.
  const keys = shape.key === ScalarType.STRING ? r.take("keys") : undefined;
  if (isObject(keys)) parts.push(nested("propertyNames", { kind: "scalar", scalar: ScalarType.STRING }, keys, `${path}keys.`, notes));
  const values = r.take("values");
  if (isObject(values)) parts.push(nested("additionalProperties", shape.value, values, `${path}values.`, notes));
  return parts;
}

function nested(keyword: string, shape: ValueShape, rules: JsonObject, path: string, notes: string[]): JsonSchema {
  const ruled = ruleSchema(shape, rules, path);
  notes.push(...ruled.notes);
  const constraints = effectiveConstraints(shape, ruled);
  return Object.keys(constraints).length === 0 ? {} : { [keyword]: constraints };
}

/** The CEL rules of a field or message, by their message where they have one: a schema cannot run CEL. */
export function celNotes(cel: JsonValue | undefined, expressions: JsonValue | undefined): string[] {
  const notes: string[] = [];
  for (const rule of Array.isArray(cel) ? cel : []) {
    if (!isObject(rule)) continue;
    const said = rule["message"] || rule["expression"];
    notes.push(`CEL${rule["id"] ? ` ${String(rule["id"])}` : ""}: ${String(said)}`);
  }
  for (const expression of Array.isArray(expressions) ? expressions : []) notes.push(`CEL: ${String(expression)}`);
  return notes;
}
