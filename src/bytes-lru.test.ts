import { describe, expect, it } from "vitest";
import { BytesLru } from "./bytes-lru.js";

describe("BytesLru", () => {
  it("keeps entries within the budget, the least recently used leaving first, the newest always", () => {
    const lru = new BytesLru<{ bytes: number }>(10);
    expect(lru.set("a", { bytes: 4 })).toEqual([]);
    expect(lru.set("b", { bytes: 4 })).toEqual([]);
    lru.get("a");
    expect(lru.set("c", { bytes: 4 })).toEqual(["b"]);
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([{ bytes: 4 }, undefined, { bytes: 4 }]);
    expect(lru.set("a", { bytes: 2 })).toEqual([]);
    expect(lru.set("huge", { bytes: 50 })).toEqual(["c", "a"]);
    expect(lru.get("huge")).toEqual({ bytes: 50 });
    expect(lru.set("d", { bytes: 1 })).toEqual(["huge"]);
  });
});
