import { describe, expect, it } from "vitest";
import { FairQueue } from "./fair-queue.js";

describe("FairQueue", () => {
  it("serves orgs in turn, so a flooding org does not go first every time", () => {
    const q = new FairQueue<string>(10, 100);
    for (let i = 0; i < 5; i++) q.push("flood", `f${i}`);
    q.push("quiet", "q0");
    q.push("other", "o0");
    const order = Array.from({ length: 4 }, () => q.take()!.job);
    expect(order).toEqual(["f0", "q0", "o0", "f1"]);
  });

  it("caps one org's running jobs and lets others pass", () => {
    const q = new FairQueue<string>(1, 100);
    q.push("a", "a0");
    q.push("a", "a1");
    q.push("b", "b0");
    expect(q.take()?.job).toBe("a0");
    expect(q.take()?.job).toBe("b0");
    expect(q.take()).toBeUndefined(); // a1 waits: a is at its cap
    q.done("a");
    expect(q.take()?.job).toBe("a1");
  });

  it("lets an org at its cap queue one job behind its own running one, and says so", () => {
    const q = new FairQueue<string>(1, 100);
    q.push("a", "a0");
    q.push("a", "a1");
    q.push("b", "b0");
    expect(q.take()).toEqual({ org: "a", job: "a0", overCap: false });
    expect(q.take("a")).toEqual({ org: "b", job: "b0", overCap: false }); // others still come first in turn
    expect(q.take("b")).toBeUndefined(); // behind b's job, a's would run beside a0
    expect(q.take("a")).toEqual({ org: "a", job: "a1", overCap: true });
  });

  it("lets an org over its cap only when no other org has a job, never ahead of another org's turn", () => {
    const q = new FairQueue<string>(1, 100);
    q.push("a", "a0");
    expect(q.take()?.job).toBe("a0");
    q.push("a", "a1");
    q.push("b", "b0"); // a comes first in turn, but is at its cap
    expect(q.take("a")).toEqual({ org: "b", job: "b0", overCap: false });
    expect(q.take("a")).toEqual({ org: "a", job: "a1", overCap: true });
  });

  it("puts a job that lost its worker back first in turn, no longer running, unless its org is charged", () => {
    const q = new FairQueue<string>(1, 1);
    q.push("a", "a0");
    q.push("b", "b0");
    expect(q.take()?.job).toBe("a0");
    q.putBack("a", "a0");
    expect(q.take()?.job).toBe("a0");
    q.putBack("a", "a0");
    q.charge("a"); // a's lost worker still counts until its replacement is ready
    expect(q.take()?.job).toBe("b0");
    expect(q.take()).toBeUndefined();
    q.done("a");
    expect(q.take()?.job).toBe("a0");
  });

  it("refuses more waiting jobs than an org may queue, and drains on shutdown", () => {
    const q = new FairQueue<string>(1, 2);
    expect(q.push("a", "1")).toBe(true);
    expect(q.push("a", "2")).toBe(true);
    expect(q.push("a", "3")).toBe(false);
    expect(q.push("b", "1")).toBe(true);
    expect(q.drain().sort()).toEqual(["1", "1", "2"]);
    expect(q.take()).toBeUndefined();
  });
});
