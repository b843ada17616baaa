import { describe, expect, it } from "vitest";
import { debugLines, fakeEntry, fakeRun as run, noFetch, usePools } from "../../../test/support/test-pools.js";

const pool = usePools();
/** A pool of workers that fail when told (test/support/fake-action-worker.ts). */
const fakePool = (size: number, maxRunningPerOrg: number, log = debugLines().log) => pool(size, maxRunningPerOrg, noFetch, log, fakeEntry);

const lost = (lines: { msg: string }[]) => lines.filter((l) => l.msg === "pool: worker lost");

describe("a worker that fails", () => {
  it("fails a run whose result cannot be read at once, and its worker goes on with the next run", async () => {
    const { log, lines } = debugLines();
    const p = fakePool(1, 2, log);
    const unreadable = p.run("a", run("unreadable", 200));
    const next = p.run("b", run("next")); // waits behind it in the worker
    expect(await unreadable).toMatchObject({ outcome: "failed", error: { message: expect.stringMatching(/^the action's result could not be read \(/) } });
    expect((await next).outcome).toBe("succeeded");
    expect((await p.run("a", run("after"))).outcome).toBe("succeeded");
    expect(lost(lines)).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "an action's result could not be read", org: "a", action: "unreadable" }));
  });

  it("fails the run of a worker that throws at once, and gives the run waiting behind it to the replacement", async () => {
    const { log, lines } = debugLines();
    const p = fakePool(1, 2, log);
    const failing = p.run("a", run("throw", 200));
    const behind = p.run("b", run("behind"));
    expect(await failing).toMatchObject({ outcome: "failed", error: { message: "the sandbox worker failed: the fake worker failed" } });
    expect((await behind).outcome).toBe("succeeded");
    expect(lost(lines)).toMatchObject([{ reason: "the fake worker failed", replaced: true, org: "a" }]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "pool: run given back by a lost worker", org: "b", action: "behind" }));
  });

  it("fails the run of a worker that exits at once, and gives the run waiting behind it to the replacement", async () => {
    const p = fakePool(1, 2);
    const exiting = p.run("a", run("exit", 200));
    const behind = p.run("b", run("behind"));
    expect(await exiting).toMatchObject({ outcome: "failed", error: { message: "the sandbox worker exited (code 7)" } });
    expect((await behind).outcome).toBe("succeeded");
  });

  it("refuses a run given back by a worker that exits during close(), and close() completes", async () => {
    const p = fakePool(1, 2);
    await p.run("a", run("warm")); // the worker is up: "exit" goes to it and "behind" waits behind it
    const exiting = p.run("a", run("exit", 200));
    const behind = p.run("b", run("behind"));
    const closing = p.close();
    expect((await exiting).error?.message).toBe("the sandbox worker exited (code 7)");
    await expect(behind).rejects.toMatchObject({ code: "Unavailable" });
    await closing;
  });
});

describe("the pool's settings", () => {
  it("warns when one org may run on every worker", () => {
    const { log, lines } = debugLines();
    fakePool(1, 1, log);
    fakePool(2, 1, log);
    expect(lines.filter((l) => l.level === "warn")).toMatchObject([{ msg: expect.stringMatching(/^one org may run on every worker/), workers: 1, orgConcurrency: 1 }]);
  });
});
