import { describe, expect, it } from "vitest";
import { createRedactor } from "./secret-redaction.js";

describe("createRedactor()", () => {
  it("replaces every occurrence, longest value first, never inside a marker it wrote", () => {
    const redact = createRedactor({ LONG: "abc-secret-xyz", SHORT: "secret", S: "s" });
    expect(redact.text("abc-secret-xyz and secret and s")).toBe("[secret:LONG] and [secret:SHORT] and [secret:S]");
  });

  it("finds a value's JSON-escaped form, and redacts keys and nested strings", () => {
    const redact = createRedactor({ Q: 'say "hi"\n' });
    expect(redact.text(JSON.stringify({ v: 'say "hi"\n' }))).toBe('{"v":"[secret:Q]"}');
    expect(redact.json({ ['k say "hi"\n']: ["x", { deep: 'say "hi"\n' }], n: 1, b: true, z: null })).toEqual({
      "k [secret:Q]": ["x", { deep: "[secret:Q]" }],
      n: 1,
      b: true,
      z: null,
    });
  });

  it("treats regular-expression characters literally and changes nothing without secrets", () => {
    expect(createRedactor({ RE: "a.b*c$&" }).text("a.b*c$& axbc")).toBe("[secret:RE] axbc");
    expect(createRedactor({}).text("anything")).toBe("anything");
  });
});
