import { describe, expect, it } from "vitest";
import { createRedaction, redactionGrowthChars } from "./secret-redaction.js";

const redactorOf = (secrets: Record<string, string>) => createRedaction(secrets).redactor();

describe("createRedaction()", () => {
  it("replaces every occurrence, longest value first, never inside a marker it wrote", () => {
    const redact = redactorOf({ LONG: "abc-secret-xyz", SHORT: "secret", S: "s" });
    expect(redact.text("abc-secret-xyz and secret and s")).toBe("[secret:LONG] and [secret:SHORT] and [secret:S]");
  });

  it("finds a value in a text exactly as long as the shortest value, and leaves shorter texts alone", () => {
    const redact = redactorOf({ LONG: "abc-secret-xyz", SHORT: "secret" });
    expect(redact.text("secret")).toBe("[secret:SHORT]");
    expect(redact.json({ secret: "secre", k: ["secret"] })).toEqual({ "[secret:SHORT]": "secre", k: ["[secret:SHORT]"] });
  });

  it("finds a value's JSON-escaped form, and redacts keys and nested strings", () => {
    const redact = redactorOf({ Q: 'say "hi"\n' });
    expect(redact.text(JSON.stringify({ v: 'say "hi"\n' }))).toBe('{"v":"[secret:Q]"}');
    expect(redact.json({ ['k say "hi"\n']: ["x", { deep: 'say "hi"\n' }], n: 1, b: true, z: null })).toEqual({
      "k [secret:Q]": ["x", { deep: "[secret:Q]" }],
      n: 1,
      b: true,
      z: null,
    });
  });

  it("treats regular-expression characters literally and changes nothing without secrets", () => {
    expect(redactorOf({ RE: "a.b*c$&" }).text("a.b*c$& axbc")).toBe("[secret:RE] axbc");
    expect(redactorOf({}).text("anything")).toBe("anything");
  });

  it("lets one pass grow its texts by a bounded number of characters, then cuts what grows, never revealing a value", () => {
    const redaction = createRedaction({ A_RATHER_LONG_NAME: "x" });
    const redact = redaction.redactor();
    const grows = "x".repeat(1000);
    const each = "[secret:A_RATHER_LONG_NAME]".length - 1;
    let added = 0;
    for (let i = 0; added + 1000 * each <= redactionGrowthChars; i++, added += 1000 * each) {
      expect(redact.text(grows)).toBe("[secret:A_RATHER_LONG_NAME]".repeat(1000));
    }
    const cut = redact.text(`${grows} 😀😀`);
    expect(cut.length).toBeLessThanOrEqual(`${grows} 😀😀`.length + redactionGrowthChars - added);
    expect(cut).not.toMatch(/(^|\])x/);
    const after = redact.text("x 😀😀😀");
    expect(after.length).toBeLessThanOrEqual("x 😀😀😀".length);
    expect(Buffer.byteLength(after)).toBeLessThanOrEqual(Buffer.byteLength("x 😀😀😀"));
    expect(Buffer.from(after, "utf8").toString("utf8")).toBe(after);
    expect(redact.text("nothing to hide here")).toBe("nothing to hide here");
    // The next pass has its own budget.
    expect(redaction.redactor().text("x!")).toBe("[secret:A_RATHER_LONG_NAME]!");
  });

  it("compiles frozen secrets once and redacts with them as a fresh compile would, each pass with its own budget", () => {
    const secrets = Object.freeze({ LONG: "abc-secret-xyz", SHORT: "secret", Q: 'say "hi"' });
    const first = createRedaction(secrets);
    expect(createRedaction(secrets)).toBe(first);
    const input = 'abc-secret-xyz, secret, {"q":"say \\"hi\\""}';
    expect(first.redactor().text(input)).toBe(createRedaction({ ...secrets }).redactor().text(input));
    expect(first.redactor().text(input)).toBe('[secret:LONG], [secret:SHORT], {"q":"[secret:Q]"}');
    const long = Object.freeze({ A_RATHER_LONG_NAME: "x" });
    const spent = createRedaction(long).redactor();
    spent.text("x".repeat(redactionGrowthChars));
    expect(spent.text("x")).not.toBe("[secret:A_RATHER_LONG_NAME]");
    expect(createRedaction(long).redactor().text("x")).toBe("[secret:A_RATHER_LONG_NAME]");
  });

  it("compiles secrets that are not frozen afresh, so a changed value is the one redacted", () => {
    const secrets: Record<string, string> = { K: "old-value" };
    expect(createRedaction(secrets).redactor().text("old-value")).toBe("[secret:K]");
    secrets["K"] = "new-value";
    expect(createRedaction(secrets).redactor().text("old-value new-value")).toBe("old-value [secret:K]");
  });
});
