import { describe, expect, it } from "vitest";
import { defaultMaxConnections, openFileLimit } from "./fd-limit.js";

describe("openFileLimit()", () => {
  it("reads the soft limit, or nothing where it cannot", () => {
    expect(openFileLimit(() => "Max cpu time  unlimited unlimited seconds\nMax open files            20000                40000                files\n")).toBe(20000);
    expect(openFileLimit(() => { throw new Error("no /proc"); })).toBeUndefined();
  });
});

describe("defaultMaxConnections()", () => {
  it("is half the limit, at most 10,000, and 512 where the limit is unknown", () => {
    expect(defaultMaxConnections(20_000)).toBe(10_000);
    expect(defaultMaxConnections(100_000)).toBe(10_000);
    expect(defaultMaxConnections(1024)).toBe(512);
    expect(defaultMaxConnections(undefined)).toBe(512);
  });
});
