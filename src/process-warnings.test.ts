import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./logger.js";
import { logProcessWarnings } from "./process-warnings.js";

describe("logProcessWarnings", () => {
  const undo: (() => void)[] = [];
  afterEach(() => {
    undo.splice(0).forEach((u) => u());
    vi.restoreAllMocks();
  });

  it("logs Node's warnings as JSON lines instead of printing them raw, until undone", async () => {
    const lines: Record<string, unknown>[] = [];
    const printed = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const before = process.listenerCount("warning");
    undo.push(logProcessWarnings(createLogger("info", (line) => lines.push(JSON.parse(line)))));
    process.emitWarning("something is deprecated", { code: "DEP_TEST" });
    // Node emits warnings on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([expect.objectContaining({ level: "warn", msg: "node warning", code: "DEP_TEST", message: "something is deprecated" })]);
    expect(printed).not.toHaveBeenCalled();
    undo.pop()!();
    expect(process.listenerCount("warning")).toBe(before);
  });
});
