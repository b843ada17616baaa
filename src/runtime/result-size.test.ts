import { describe, expect, it } from "vitest";
import { jsonBytes, jsonShape, perValueBytes, textBytes } from "./result-size.js";

describe("jsonShape()", () => {
  it.each([
    ['"x"', 0],
    ["1", 0],
    ["{}", 1],
    ['{"a":[1,{"b":null}]}', 3],
    ['["[[[", "{{"]', 1],
    ['"a \\" [[["', 0],
    ['["\\\\", ["x"]]', 2],
  ])("reads %s as nested %i levels", (text, depth) => {
    expect(jsonShape(text).depth).toBe(depth);
  });

  it("reads a value thousands of levels deep without a recursion", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(jsonShape(deep).depth).toBe(100_000);
  });

  it("counts at least one value per element, key or container", () => {
    expect(jsonShape("[1,2,3]").values).toBe(4);
    expect(jsonShape('{"a":1,"b":"x"}').values).toBeGreaterThanOrEqual(3);
    expect(jsonShape('"a,b,c"').values).toBe(1);
  });
});

describe("sizes", () => {
  it("count UTF-8 bytes plus what protobuf adds per value", () => {
    expect(textBytes("é")).toBe(2 + perValueBytes);
    expect(textBytes("a", "bc")).toBe(3 + 2 * perValueBytes);
    expect(jsonBytes("[1,1]")).toBe(5 + 3 * perValueBytes);
  });
});
