import { describe, expect, it } from "vitest";
import { lineBuffer } from "./logger.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("lineBuffer()", () => {
  it("writes the lines of one turn in one write, on the next turn", async () => {
    const writes: string[] = [];
    const buffer = lineBuffer((text) => writes.push(text));
    buffer.line("a");
    buffer.line("b");
    expect(writes).toEqual([]);
    await nextTurn();
    buffer.line("c");
    await nextTurn();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("writes at once on flush, and when the buffer grows large", async () => {
    const writes: string[] = [];
    const buffer = lineBuffer((text) => writes.push(text));
    buffer.line("first");
    buffer.flush();
    expect(writes).toEqual(["first\n"]);
    const long = "x".repeat(40 * 1024);
    buffer.line(long);
    buffer.line(long);
    expect(writes).toEqual(["first\n", `${long}\n${long}\n`]);
    await nextTurn();
    expect(writes).toHaveLength(2);
  });
});
