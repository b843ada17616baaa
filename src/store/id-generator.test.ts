import { describe, expect, it } from "vitest";
import { createIdGenerator } from "./id-generator.js";

describe("createIdGenerator()", () => {
  it("makes unique, time-ordered decimal ids, even past 256 ids in one 10 ms tick", () => {
    const newId = createIdGenerator(7, () => Date.UTC(2026, 0, 1));
    const ids = Array.from({ length: 1000 }, newId);
    expect(new Set(ids).size).toBe(1000);
    const asBig = ids.map(BigInt);
    expect(asBig.every((v, i) => i === 0 || v > asBig[i - 1]!)).toBe(true);
    expect(ids[0]).toMatch(/^[1-9]\d+$/);
  });

  it("stays monotonic when the clock goes back", () => {
    let now = Date.UTC(2026, 0, 1);
    const newId = createIdGenerator(1, () => now);
    const a = BigInt(newId());
    now -= 60_000;
    expect(BigInt(newId())).toBeGreaterThan(a);
  });

  it("puts the time in ZITADEL's Sonyflake layout", () => {
    const at = Date.UTC(2019, 3, 29) + 10 * 12345;
    const id = BigInt(createIdGenerator(0xbeef, () => at)());
    expect(id >> 24n).toBe(12345n);
    expect(id & 0xffffn).toBe(0xbeefn);
  });
});
