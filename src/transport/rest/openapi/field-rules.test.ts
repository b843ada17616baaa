import { ScalarType } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { OutcomeSchema } from "../../../../gen/actiond/v1/execution_pb.js";
import { ruleSchema } from "./field-rules.js";

const string = { kind: "scalar", scalar: ScalarType.STRING } as const;
const int32 = { kind: "scalar", scalar: ScalarType.INT32 } as const;

describe("ruleSchema()", () => {
  it("says string lengths, pattern, sets and formats as keywords", () => {
    const ruled = ruleSchema(string, { string: { minLen: "1", maxLen: "200", pattern: "^a", in: ["a", "ab"], notIn: ["ax"], email: true } });
    expect(ruled).toEqual({
      constraints: { minLength: 1, maxLength: 200, pattern: "^a", enum: ["a", "ab"], not: { enum: ["ax"] }, format: "email" },
      notes: [],
      required: false,
      ignoreIfZero: false,
    });
  });

  it("puts what JSON Schema cannot say in the notes instead of dropping it", () => {
    const ruled = ruleSchema(string, { string: { prefix: "urn:", maxBytes: "64", len: "10" }, cel: [{ id: "x.y", message: "must be nice", expression: "true" }] });
    expect(ruled.constraints).toEqual({ minLength: 10, maxLength: 10 });
    expect(ruled.notes).toEqual(["CEL x.y: must be nice", 'string.prefix: "urn:"', 'string.maxBytes: "64"']);
  });

  it("maps number bounds, and keeps a reversed range (outside it) as a note", () => {
    expect(ruleSchema(int32, { int32: { gt: 0, lte: 10 } }).constraints).toEqual({ exclusiveMinimum: 0, maximum: 10 });
    const outside = ruleSchema(int32, { int32: { gt: 10, lt: 5 } });
    expect(outside.constraints).toEqual({});
    expect(outside.notes).toEqual(["int32.gt: 10 and lt: 5 (outside that range)"]);
  });

  it("keeps 64-bit bounds, bytes, durations and timestamps in the notes: their JSON is a string", () => {
    const uint64 = ruleSchema({ kind: "scalar", scalar: ScalarType.UINT64 }, { uint64: { lte: "1000" } });
    expect(uint64).toMatchObject({ constraints: {}, notes: ['uint64.lte: "1000"'] });
    const bytes = ruleSchema({ kind: "scalar", scalar: ScalarType.BYTES }, { bytes: { minLen: "16" } });
    expect(bytes.notes).toEqual(['bytes.minLen: "16"']);
  });

  it("names enum values in const, in and not_in; defined_only needs nothing beyond the enum's names", () => {
    const shape = { kind: "enum", enum: OutcomeSchema } as const;
    expect(ruleSchema(shape, { enum: { definedOnly: true, in: [1, 2], notIn: [0] } })).toMatchObject({
      constraints: { enum: ["OUTCOME_SUCCEEDED", "OUTCOME_FAILED"], not: { enum: ["OUTCOME_UNSPECIFIED"] } },
      notes: [],
    });
  });

  it("puts repeated and map rules on the array, its items, the keys and the values", () => {
    const list = ruleSchema({ kind: "list", element: string }, { repeated: { minItems: "1", unique: true, items: { string: { maxLen: "5" } } } });
    expect(list.constraints).toEqual({ minItems: 1, uniqueItems: true, items: { maxLength: 5 } });
    const map = ruleSchema(
      { kind: "map", key: ScalarType.STRING, value: int32 },
      { map: { maxPairs: "3", keys: { string: { pattern: "^k" } }, values: { int32: { gte: 1 } } } },
    );
    expect(map.constraints).toEqual({ maxProperties: 3, propertyNames: { pattern: "^k" }, additionalProperties: { minimum: 1 } });
    const intKeys = ruleSchema({ kind: "map", key: ScalarType.INT32, value: int32 }, { map: { keys: { int32: { gte: 1 } } } });
    expect(intKeys).toMatchObject({ constraints: {}, notes: ['map.keys: {"int32":{"gte":1}}'] });
  });

  it("reads required, IGNORE_IF_ZERO_VALUE and IGNORE_ALWAYS", () => {
    expect(ruleSchema(string, { required: true })).toMatchObject({ required: true, constraints: {} });
    expect(ruleSchema(string, { ignore: "IGNORE_IF_ZERO_VALUE", string: { minLen: "3" } }).ignoreIfZero).toBe(true);
    expect(ruleSchema(string, { ignore: "IGNORE_ALWAYS", required: true, string: { minLen: "3" } })).toEqual({
      constraints: {},
      notes: [],
      required: false,
      ignoreIfZero: false,
    });
  });
});
