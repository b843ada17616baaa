import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { useChildServers } from "../support/child-server.js";

const { tempDir, start } = useChildServers("actiond-quickjs-output-");

describe("what the QuickJS module prints", () => {
  it("reaches the log as a JSON line at debug level, never as a raw line on stderr", async () => {
    const dir = tempDir();
    const server = await start(dir, ["--log-level", "debug"]);
    const token = fs.readFileSync(path.join(dir, "admin.token"), "utf8").trim();
    const { execution } = clientsFor(server.baseUrl, token);
    // A bomb in promise jobs leaves QuickJS's heap in a state it asserts on
    // when the runtime is freed: the module prints "Aborted(Assertion failed…)".
    const bomb = "var keep = []; return (async () => { for (;;) { await null; for (var i = 0; i < 1e4; i++) keep.push({ i }); } })();";
    const answer = await execution.testAction({ name: "bomb", script: `function bomb(ctx, api) {\n${bomb}\n}`, flowType: "2", triggerType: "5" });
    expect(answer.execution?.runs[0]?.outcome).toBe(Outcome.OUT_OF_MEMORY);
    // The module prints while the worker tidies up after answering: wait for the line, not a time.
    await expect.poll(() => server.logs.find((l) => l.msg === "pool: the QuickJS module printed"), { timeout: 10_000 }).toMatchObject({
      level: "debug",
      text: expect.stringContaining("Aborted("),
    });
    expect(server.logs.filter((l) => "raw" in l)).toEqual([]);
  });
});
