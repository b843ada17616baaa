import { describe, expect, it } from "vitest";
import { positionalValues, toPositional } from "./placeholders.js";

describe("toPositional()", () => {
  it("numbers ? placeholders in order", () => {
    const s = toPositional("SELECT * FROM t WHERE a = ? AND b > ? LIMIT ?");
    expect(s.text).toBe("SELECT * FROM t WHERE a = $1 AND b > $2 LIMIT $3");
    expect(positionalValues(s, ["x", 2, undefined])).toEqual(["x", 2, null]);
  });

  it("gives each @name one number, however often it appears, and orders the object's values by it", () => {
    const s = toPositional("UPDATE t SET a = COALESCE(@name, a), at = @at, made = @at WHERE id = @id");
    expect(s.text).toBe("UPDATE t SET a = COALESCE($1, a), at = $2, made = $2 WHERE id = $3");
    expect(positionalValues(s, { id: "7", at: 5, name: undefined, extra: "ignored" })).toEqual([null, 5, "7"]);
  });

  it("refuses a statement that mixes both kinds", () => {
    expect(() => toPositional("SELECT ? WHERE a = @a")).toThrow(/mixes/);
  });
});
