import type http from "node:http";
import { describeError } from "./egress-error.js";
import type { EgressResult } from "./fetch-types.js";

/** State shared by the steps of one exchange: closed once the result is settled (answer, error, timeout or abort). */
export interface Exchange {
  closed: boolean;
  /** The request in flight, destroyed when the exchange closes. */
  current?: http.ClientRequest;
}

/** A longer delay overflows setTimeout, which then fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const cancelled = "request cancelled: the run was stopped";
const timedOut = "request timed out";

/**
 * Runs one exchange under a single timer that bounds all of it (DNS, connect,
 * redirects, body) and under `signal`. Whichever comes first settles the
 * result; the request in flight is then destroyed, so no socket outlives it.
 *
 * `deadline` is an absolute `performance.now()` in the calling thread's clock:
 * time origins differ between worker threads.
 */
export function settleWithin(
  deadline: number,
  signal: AbortSignal | undefined,
  run: (exchange: Exchange) => Promise<EgressResult>,
): Promise<EgressResult> {
  return new Promise<EgressResult>((resolvePromise) => {
    if (typeof deadline !== "number" || Number.isNaN(deadline)) {
      resolvePromise({ error: "invalid deadline" });
      return;
    }
    const remaining = deadline - performance.now();
    if (!(remaining > 0)) {
      resolvePromise({ error: timedOut });
      return;
    }
    if (signal?.aborted) {
      resolvePromise({ error: cancelled });
      return;
    }
    const exchange: Exchange = { closed: false };
    const onAbort = () => finish({ error: cancelled });
    const finish = (result: EgressResult) => {
      if (exchange.closed) return;
      exchange.closed = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      exchange.current?.destroy();
      resolvePromise(result);
    };
    const timer = setTimeout(() => finish({ error: timedOut }), Math.min(remaining, MAX_TIMER_MS));
    signal?.addEventListener("abort", onAbort, { once: true });
    run(exchange).then(finish, (err: unknown) => finish({ error: describeError(err) }));
  });
}
