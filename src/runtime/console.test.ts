import { describe, expect, it } from "vitest";
import { LogSink } from "./log-sink.js";
import { action, run } from "../../test/support/runtime-harness.js";

describe("console", () => {
  it("captures each method at its level", async () => {
    const result = await run(action('console.log("l"); console.info("i"); console.debug("d"); console.warn("w"); console.error("e");'));
    expect(result.logs).toEqual([
      { level: "info", message: "l" },
      { level: "info", message: "i" },
      { level: "debug", message: "d" },
      { level: "warn", message: "w" },
      { level: "error", message: "e" },
    ]);
  });

  it.each([
    ['"%s is %d years, %i%%", "Ada", 36.6, 1.9', "Ada is 36.6 years, 1%"],
    ['"%f|%j|%o|%c|%x", "2.5", { a: [1] }, [2], "color:red"', '2.5|{"a":[1]}|[2]||%x'],
    ['"missing %s %s", "one"', "missing one %s"],
    ['{ a: 1, b: "two" }, [1, { c: null }]', '{"a":1,"b":"two"} [1,{"c":null}]'],
    ["1, true, null, undefined, -0.5", "1 true null undefined -0.5"],
    ['new TypeError("bad"), function named() {}', "TypeError: bad [Function]"],
    ["", ""],
  ])("formats console.log(%s) like util.format", async (args, expected) => {
    const result = await run(action(`console.log(${args});`));
    expect(result.logs).toEqual([{ level: "info", message: expected }]);
  });

  it("prints what has no JSON form, and never throws for a value", async () => {
    const result = await run(action(`
      var cyclic = {}; cyclic.self = cyclic;
      var hostile = { toJSON() { throw new Error("no"); }, toString() { throw new Error("nope"); } };
      console.log(cyclic, hostile, Symbol("s"));`));
    expect(result.outcome).toBe("succeeded");
    expect(result.logs).toEqual([{ level: "info", message: "[object Object] [unprintable] Symbol(s)" }]);
  });

  it("keeps the logs of a run that failed or timed out", async () => {
    const failed = await run(action('console.log("before"); throw new Error("x");'));
    expect(failed.logs).toEqual([{ level: "info", message: "before" }]);
    const timedOut = await run(action('console.log("spinning"); while (true) {}'), { timeoutMs: 50 });
    expect(timedOut.outcome).toBe("timed_out");
    expect(timedOut.logs).toEqual([{ level: "info", message: "spinning" }]);
  });

  it("caps the number of entries and notes what was dropped", async () => {
    const result = await run(action('for (var i = 0; i < 10; i++) console.log("line " + i);'), { limits: { maxLogEntries: 3 } });
    expect(result.logs).toEqual([
      { level: "info", message: "line 0" },
      { level: "info", message: "line 1" },
      { level: "info", message: "line 2" },
      { level: "warn", message: "log truncated: a run keeps at most 3 entries and 65536 bytes; 7 more entries were dropped" },
    ]);
  });

  it("caps the total bytes, cutting the entry that crosses the limit", async () => {
    const result = await run(action('console.log("a".repeat(600)); console.log("b".repeat(600)); console.log("c");'), {
      limits: { maxLogBytes: 1000 },
    });
    expect(result.logs.map((l) => l.message.length)).toEqual([600, 400, expect.any(Number)]);
    expect(result.logs[2]?.message).toBe("log truncated: a run keeps at most 100 entries and 1000 bytes; 1 more entry was dropped");
  });

  it("stays usable when a script replaces console", async () => {
    const result = await run(action('var original = console; console = { log() {} }; original.log("still captured");'));
    expect(result.logs).toEqual([{ level: "info", message: "still captured" }]);
  });
});

describe("LogSink", () => {
  it("counts UTF-8 bytes and never splits a character", () => {
    const sink = new LogSink(10, 5);
    sink.add("info", "ab€€");
    expect(sink.finish()).toEqual([
      { level: "info", message: "ab€" },
      { level: "warn", message: "log truncated: a run keeps at most 10 entries and 5 bytes" },
    ]);
  });
});
