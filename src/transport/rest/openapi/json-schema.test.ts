import { describe, expect, it } from "vitest";
import { withConstraints, type JsonSchema } from "./json-schema.js";

describe("withConstraints()", () => {
  it("keeps the tighter of two bounds", () => {
    expect(withConstraints({ type: "integer", minimum: 0, maximum: 4294967295 }, { minimum: -5, maximum: 1000 })).toEqual({
      type: "integer",
      minimum: 0,
      maximum: 1000,
    });
  });

  it("merges subschemas and moves any other clash into allOf, so both hold", () => {
    const float: JsonSchema = { anyOf: [{ type: "number" }, { enum: ["NaN"] }], items: { type: "string" } };
    expect(withConstraints(float, { anyOf: [{ const: 0 }, { minimum: 1 }], items: { maxLength: 3 } })).toEqual({
      anyOf: [{ type: "number" }, { enum: ["NaN"] }],
      items: { type: "string", maxLength: 3 },
      allOf: [{ anyOf: [{ const: 0 }, { minimum: 1 }] }],
    });
  });
});
