import { Code, ConnectError } from "@connectrpc/connect";
import type { ClientWatch } from "./node-http.js";

/** Reason given to whatever still watches a call's signal once the call has ended normally. */
export const callCompleted = new ConnectError("rpc completed", Code.Canceled);

/** The signal of one call, and how to end it. */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** Aborts the signal with `reason` unless it has aborted, and lets go of the timer and the stop signal. */
  end(reason: unknown): void;
}

export interface CallSignalInit {
  client?: ClientWatch;
  /** The server's stop (the end of the shutdown grace period). */
  stop?: AbortSignal;
  /** The caller's deadline, from now. */
  timeoutMs?: number;
}

/**
 * One AbortController for a call, aborted by the first of: the client
 * leaving, the server's stop, the deadline (DeadlineExceeded, as connect
 * words it). connect's own handler context links three controllers for the
 * same, a cost every call paid (docs/benchmarks.md). Only the stop signal
 * outlives the call, and the listener on it goes when the call ends.
 */
export function callSignal(init: CallSignalInit): CallSignal {
  const controller = new AbortController();
  const { stop, timeoutMs } = init;
  let timer: NodeJS.Timeout | undefined;
  const onStop = () => end(stop!.reason);
  function end(reason: unknown): void {
    if (timer !== undefined) clearTimeout(timer);
    stop?.removeEventListener("abort", onStop);
    if (!controller.signal.aborted) controller.abort(reason);
  }
  const timedOut = () => end(new ConnectError("the operation timed out", Code.DeadlineExceeded));
  if (stop?.aborted) end(stop.reason);
  else if (timeoutMs !== undefined && timeoutMs <= 0) timedOut();
  else if (init.client?.goneReason) end(init.client.goneReason);
  else {
    stop?.addEventListener("abort", onStop, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(timedOut, timeoutMs);
    init.client?.onGone(end);
  }
  return { signal: controller.signal, end };
}
