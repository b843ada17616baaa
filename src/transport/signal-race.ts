import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/** Why calls still running when the shutdown grace period is over end (src/app.ts). */
export const serverStopping = new ConnectError("the server is shutting down", Code.Unavailable);

/**
 * Races every unary call against its context signal: the deadline, the client
 * leaving, and the end of the shutdown grace period. connect-node does not
 * watch the signal itself, so without this a handler that finishes late (a
 * run stopped by the same signal still returns its record) would answer with
 * its result instead of DeadlineExceeded or Unavailable. Streams are left
 * alone: they watch their signal themselves.
 */
export function createSignalRaceInterceptor(): Interceptor {
  return (next) => (req) => (req.stream ? next(req) : untilAborted(req.signal, () => next(req)));
}

/**
 * Starts `work` unless `signal` has aborted (a deadline of 0 does not start
 * what cannot finish), and rejects with the signal's reason, as a
 * ConnectError, as soon as it aborts.
 */
export function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(ConnectError.from(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ConnectError.from(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}
