import { afterEach, beforeEach, vi } from "vitest";
import type { ActionRunner, RunOrder } from "../../src/execution/action-runner.js";
import type { ActionRunResult, LogEntry, Outcome, RunError } from "../../src/runtime/index.js";

/**
 * A clock the budget logic reads instead of the machine's: `performance.now()`
 * stands still unless a scripted run advances it, so budgets and deadlines
 * come out exact however busy the machine is. Installed per test.
 */
export function useFakeClock(): { advance(ms: number): void } {
  let now = 1_000;
  let spy: { mockRestore(): void } | undefined;
  beforeEach(() => {
    now = 1_000;
    spy = vi.spyOn(performance, "now").mockImplementation(() => now);
  });
  afterEach(() => spy?.mockRestore());
  return {
    advance(ms) {
      now += ms;
    },
  };
}

/** How the fake runner answers a run of the action with this name; it succeeds at once by default. */
export interface ScriptedRun {
  outcome?: Outcome;
  /** Clock time the run takes. */
  takesMs?: number;
  error?: RunError;
  logs?: LogEntry[];
  /** What the run reports it added to its execution's results. */
  resultBytes?: number;
  /** Called while the run is under way (to abort the caller's signal, say). */
  during?: () => void;
}

export interface RunCall {
  orgId: string;
  order: RunOrder;
  signal?: AbortSignal;
}

/**
 * An ActionRunner that records every order and answers from a script. Each
 * run sets the claim `<action name>: true` (packed: the text "true") on the mutations it was given and
 * returns them whatever its outcome, so a test can see which runs' changes
 * the flow passed on.
 */
export function scriptedRunner(clock: { advance(ms: number): void }, script: Record<string, ScriptedRun> = {}) {
  const calls: RunCall[] = [];
  const runner: ActionRunner = {
    async run(orgId, order, signal) {
      calls.push({ orgId, order, signal });
      const { outcome = "succeeded", takesMs = 0, error, logs = [], resultBytes, during } = script[order.name] ?? {};
      during?.();
      clock.advance(takesMs);
      const mutations = { ...order.mutations, claims: { ...order.mutations.claims, [order.name]: "true" } };
      const result: ActionRunResult = { outcome, durationMs: takesMs, logs, mutations, resultBytes };
      return error ? { ...result, error } : result;
    },
  };
  return {
    runner,
    calls,
    /** The names run, in order. */
    ran: () => calls.map((c) => c.order.name),
    /** The timeout each run was given, in order. */
    timeouts: () => calls.map((c) => c.order.timeoutMs),
  };
}
