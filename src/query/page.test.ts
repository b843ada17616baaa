import { describe, expect, it } from "vitest";
import { defaultPageSize, maxPageSize, pageOf } from "./page.js";

describe("pageOf()", () => {
  it("reads limit 0 as ZITADEL's default page and keeps any limit up to the maximum", () => {
    expect(pageOf(0n, 0)).toEqual({ offset: 0, limit: defaultPageSize });
    expect(pageOf(5n, 1)).toEqual({ offset: 5, limit: 1 });
    expect(pageOf(0n, maxPageSize)).toEqual({ offset: 0, limit: 1000 });
  });

  it("refuses a limit above the maximum with ZITADEL's InvalidArgument QUERY-4M0fs", () => {
    expect(() => pageOf(0n, maxPageSize + 1)).toThrow(expect.objectContaining({ code: "InvalidArgument", id: "QUERY-4M0fs" }));
  });

  for (const offset of [2n ** 53n, 2n ** 63n - 511n, 2n ** 63n, 2n ** 64n - 1n]) {
    it(`reads offset ${offset} as the largest safe integer`, () => {
      expect(pageOf(offset, 1).offset).toBe(Number.MAX_SAFE_INTEGER);
    });
  }
});
