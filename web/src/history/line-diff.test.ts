import { describe, expect, it } from "vitest";
import { diffLines, type DiffLine } from "./line-diff.js";

/** A diff as `+`, `-` or ` ` before each line, as a unified diff writes it. */
const show = (lines: DiffLine[]) => lines.map((l) => `${{ same: " ", added: "+", removed: "-" }[l.kind]}${l.text}`);

describe("diffLines", () => {
  it("marks nothing when the texts are equal", () => {
    expect(show(diffLines("a\nb\n", "a\nb\n"))).toEqual([" a", " b"]);
  });

  it("marks a changed line as removed, then added, between the lines both keep", () => {
    expect(show(diffLines("function f() {\n  old();\n}\n", "function f() {\n  fresh();\n}\n"))).toEqual([
      " function f() {",
      "-  old();",
      "+  fresh();",
      " }",
    ]);
  });

  it("keeps the longest common run of lines when lines move", () => {
    expect(show(diffLines("a\nb\nc\nd", "b\nc\na\nd"))).toEqual(["-a", " b", " c", "+a", " d"]);
  });

  it("treats everything as added to or removed from an empty text", () => {
    expect(show(diffLines("", "x\ny"))).toEqual(["+x", "+y"]);
    expect(show(diffLines("x\ny\n", ""))).toEqual(["-x", "-y"]);
  });

  it("ignores the difference between a final newline and none, and between CRLF and LF", () => {
    expect(show(diffLines("a\r\nb\r\n", "a\nb"))).toEqual([" a", " b"]);
  });

  it("keeps empty lines as lines", () => {
    expect(show(diffLines("a\n\nb", "a\nb"))).toEqual([" a", "-", " b"]);
  });

  it("diffs a long script with one edit quickly", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i};`);
    const edited = [...lines];
    edited[10_000] = "changed;";
    const diff = diffLines(lines.join("\n"), edited.join("\n"));
    expect(diff.filter((l) => l.kind !== "same").map((l) => l.kind)).toEqual(["removed", "added"]);
  });

  it("shows two long texts with nothing in common as removed, then added, without building a table", () => {
    const before = Array.from({ length: 5_000 }, (_, i) => `a${i}`).join("\n");
    const after = Array.from({ length: 5_000 }, (_, i) => `b${i}`).join("\n");
    const diff = diffLines(before, after);
    expect(diff.length).toBe(10_000);
    expect(diff[0]).toEqual({ kind: "removed", text: "a0" });
    expect(diff[5_000]).toEqual({ kind: "added", text: "b0" });
  });
});
