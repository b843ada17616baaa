import { describe, expect, it } from "vitest";
import { type ScriptedRun, scriptedRunner, useFakeClock } from "../../test/support/scripted-runner.js";
import { emptyMutations, type Outcome } from "../runtime/index.js";
import { type FlowAction, type FlowInput, runFlow } from "./run-flow.js";

const clock = useFakeClock();

function action(name: string, changes: Partial<FlowAction> = {}): FlowAction {
  return { id: `id-${name}`, version: 1, name, script: `function ${name}(ctx, api) {}`, timeoutMs: 1_000, allowedToFail: false, ...changes };
}

const context = { v1: { userinfo: { sub: "u1" } } };

/** Runs `actions` as one flow, with the runs answered from `script`. */
async function flow(actions: FlowAction[], script: Record<string, ScriptedRun> = {}, input: Partial<FlowInput> = {}) {
  const fake = scriptedRunner(clock, script);
  const flowInput = { orgId: "org-1", flowType: "2", triggerType: "4", context, actions, budgetMs: 10_000, resultsMaxBytes: 1_000, ...input };
  const result = await runFlow(fake.runner, flowInput);
  return { ...fake, result, outcomes: result.runs.map((r) => [r.name, r.outcome]) };
}

const claims = (...names: string[]) => Object.fromEntries(names.map((n) => [n, true]));
/** The same claims as a run hands them on: JSON text. */
const packed = (...names: string[]) => Object.fromEntries(names.map((n) => [n, "true"]));

describe("runFlow()", () => {
  it("runs the actions in order, each seeing what those before it changed", async () => {
    const { calls, ran, result } = await flow([action("a"), action("b"), action("c")]);
    expect(ran()).toEqual(["a", "b", "c"]);
    expect(calls.map((c) => c.order.mutations.claims)).toEqual([{}, packed("a"), packed("a", "b")]);
    expect(calls[0]).toEqual({
      orgId: "org-1",
      order: {
        name: "a",
        script: "function a(ctx, api) {}",
        flowType: "2",
        triggerType: "4",
        context,
        mutations: emptyMutations(),
        results: { maxBytes: 1_000, usedBytes: 0 },
        timeoutMs: 1_000,
      },
      signal: undefined,
    });
    expect(result).toMatchObject({ aborted: false, mutations: { claims: claims("a", "b", "c") } });
  });

  it("records each run and the flow's duration", async () => {
    const logs = [{ level: "info" as const, message: "hello" }];
    const { result } = await flow([action("a", { allowedToFail: true }), action("b")], {
      a: { outcome: "failed", takesMs: 300, error: { message: "boom", line: 1 }, logs },
      b: { takesMs: 200 },
    });
    expect(result.runs).toEqual([
      { actionId: "id-a", actionVersion: 1, name: "a", allowedToFail: true, outcome: "failed", durationMs: 300, error: { message: "boom", line: 1 }, logs },
      { actionId: "id-b", actionVersion: 1, name: "b", allowedToFail: false, outcome: "succeeded", durationMs: 200, error: undefined, logs: [] },
    ]);
    expect(result.durationMs).toBe(500);
    expect(result.startedAt).toBeInstanceOf(Date);
  });

  it("runs an empty flow as nothing, not aborted", async () => {
    const { calls, result } = await flow([]);
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ aborted: false, runs: [], mutations: emptyMutations() });
  });

  it("gives each action min(its timeout, what is left of the trigger budget)", async () => {
    const actions = [
      action("a", { timeoutMs: 1_000 }),
      action("b", { timeoutMs: 5_000 }),
      action("c", { timeoutMs: 100 }),
      action("d", { timeoutMs: 20_000 }),
    ];
    const { timeouts } = await flow(actions, { a: { takesMs: 300 }, b: { takesMs: 1_500 }, c: { takesMs: 50 } }, { budgetMs: 2_000 });
    expect(timeouts()).toEqual([1_000, 1_700, 100, 150]);
  });

  it("records the actions the budget has no time left for as timed out, without running them", async () => {
    const actions = [action("a"), action("b", { allowedToFail: true }), action("c")];
    const { ran, result, outcomes } = await flow(actions, { a: { takesMs: 1_000 } }, { budgetMs: 1_000 });
    expect(ran()).toEqual(["a"]);
    expect(outcomes).toEqual([["a", "succeeded"], ["b", "timed_out"], ["c", "timed_out"]]);
    expect(result.runs[1]).toMatchObject({ durationMs: 0, logs: [], error: { message: expect.stringMatching(/time budget was used up/) } });
    expect(result).toMatchObject({ aborted: true, mutations: { claims: claims("a") } });
  });

  it("goes on after an action that may fail, without the changes of its failed run", async () => {
    const { calls, ran, result } = await flow([action("a"), action("b", { allowedToFail: true }), action("c")], { b: { outcome: "failed" } });
    expect(ran()).toEqual(["a", "b", "c"]);
    expect(calls[2]!.order.mutations.claims).toEqual(packed("a"));
    expect(result).toMatchObject({ aborted: false, mutations: { claims: claims("a", "c") } });
  });

  for (const outcome of ["failed", "timed_out", "out_of_memory"] satisfies Outcome[]) {
    it(`aborts when an action that may not fail ends ${outcome}, and runs none after it`, async () => {
      const { ran, result, outcomes } = await flow([action("a"), action("b"), action("c")], { b: { outcome } });
      expect(ran()).toEqual(["a", "b"]);
      expect(outcomes).toEqual([["a", "succeeded"], ["b", outcome]]);
      expect(result).toMatchObject({ aborted: true, mutations: { claims: claims("a") } });
    });
  }

  it("gives each run what is left of the results cap, counting what the runs before it added", async () => {
    const actions = [action("a"), action("b", { allowedToFail: true }), action("c"), action("d")];
    const script = { a: { resultBytes: 300 }, b: { outcome: "failed" as const, resultBytes: 50 }, c: { resultBytes: 0 } };
    const { calls } = await flow(actions, script);
    expect(calls.map((c) => c.order.results)).toEqual([
      { maxBytes: 1_000, usedBytes: 0 },
      { maxBytes: 1_000, usedBytes: 300 },
      { maxBytes: 1_000, usedBytes: 350 },
      { maxBytes: 1_000, usedBytes: 350 },
    ]);
  });

  describe("when the caller goes away", () => {
    it("hands its signal to every run", async () => {
      const signal = new AbortController().signal;
      const { calls } = await flow([action("a"), action("b")], {}, { signal });
      expect(calls.map((c) => c.signal)).toEqual([signal, signal]);
    });

    it("runs nothing once the signal has aborted", async () => {
      const { calls, result } = await flow([action("a")], {}, { signal: AbortSignal.abort() });
      expect(calls).toEqual([]);
      expect(result).toMatchObject({ aborted: true, runs: [] });
    });

    it("starts no action after the one its abort stopped, even one that may fail", async () => {
      const caller = new AbortController();
      const { ran, result } = await flow(
        [action("a", { allowedToFail: true }), action("b", { allowedToFail: true })],
        { a: { outcome: "timed_out", during: () => caller.abort() } },
        { signal: caller.signal },
      );
      expect(ran()).toEqual(["a"]);
      expect(result).toMatchObject({ aborted: true, runs: [{ name: "a", outcome: "timed_out" }] });
    });

    // Reported, not fixed: the signal is checked only before a run, so when it
    // stops the last action and that action may fail, the flow is recorded as
    // not aborted, contrary to FlowInput's doc. Flip to it() once fixed.
    it("counts the flow as aborted when its abort stops the last action", async () => {
      const caller = new AbortController();
      const { result } = await flow(
        [action("a", { allowedToFail: true })],
        { a: { outcome: "timed_out", during: () => caller.abort() } },
        { signal: caller.signal },
      );
      expect(result.aborted).toBe(true);
    });
  });
});
