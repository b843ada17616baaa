/** Keeps `count` RunTrigger calls in flight on a trigger whose action spins to its deadline. */
import { Outcome } from "../gen/actiond/v1/execution_pb.js";
import type { ExecutionClient } from "./execution-clients.js";

export interface Spinners {
  /** Stops re-issuing, waits (at most `graceMs`) for the calls in flight, and sums up what they answered. */
  stop(graceMs: number): Promise<{ calls: number; outcomes: string; meanMs: number }>;
}

export function startSpinners(client: ExecutionClient, flowType: string, triggerType: string, count: number, maxCallsEach: number): Spinners {
  let running = true;
  const outcomes = new Map<string, number>();
  let calls = 0;
  let totalMs = 0;
  const note = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const loop = async () => {
    for (let i = 0; running && i < maxCallsEach; i++) {
      const t0 = performance.now();
      try {
        const { execution } = await client.runTrigger(flowType, triggerType, {});
        note(Outcome[execution?.runs[0]?.outcome ?? Outcome.UNSPECIFIED] ?? "?");
      } catch (err) {
        note(`error: ${err instanceof Error ? err.message : String(err)}`);
      }
      calls++;
      totalMs += performance.now() - t0;
    }
  };
  const done = Promise.all(Array.from({ length: count }, loop));
  return {
    async stop(graceMs) {
      running = false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      const summary = [...outcomes].map(([k, n]) => `${n}× ${k}`).join(", ") || "none";
      return { calls, outcomes: summary, meanMs: calls ? totalMs / calls : NaN };
    },
  };
}
