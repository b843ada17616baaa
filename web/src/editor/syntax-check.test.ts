import { describe, expect, it } from "vitest";
import { findSyntaxError } from "./syntax-check.js";

describe("findSyntaxError", () => {
  it("finds nothing in a valid script", () => {
    expect(findSyntaxError("function a(ctx, api) {\n  api.v1.claims.setClaim('x', [1, {y: 2}]);\n}\n")).toBeUndefined();
  });

  it("places an unclosed call at its line and column, 1-based", () => {
    expect(findSyntaxError("function a(ctx, api) {\n  api.v1.claims.setClaim('x', 1;\n}\n")).toMatchObject({ line: 2, column: 32 });
  });

  it("reports a script cut short at its end", () => {
    const problem = findSyntaxError("function a(ctx, api) {\n  if (x) {\n");
    expect(problem?.line).toBe(3);
    expect(problem?.message).toMatch(/^SyntaxError/);
  });
});
