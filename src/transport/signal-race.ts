import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/** Why calls still running when the shutdown grace period is over end (src/app.ts). */
export const serverStopping = new ConnectError("the server is shutting down", Code.Unavailable);

/**
 * Races every unary call against its context signal: the deadline, the client
 * leaving, and the end of the shutdown grace period. connect-node does not
 * watch the signal itself, so without this a handler that finishes late (a
 * run stopped by the same signal still returns its record) would answer with
 * its result instead of DeadlineExceeded or Unavailable. Streams are left
 * alone: they watch their signal themselves. One function, so the unary
 * path can tell whether a chain has it (transport/invoke-unary.ts).
 */
export const signalRaceInterceptor: Interceptor = (next) => (req) => (req.stream ? next(req) : untilAborted(req.signal, () => next(req)));

/**
 * Starts `work` unless `signal` has aborted (a deadline of 0 does not start
 * what cannot finish), and rejects with the signal's reason, as a
 * ConnectError, as soon as it aborts. The listener goes as soon as the work
 * settles, so the abort that ends every call (transport/invoke-unary.ts)
 * finds nothing to run.
 */
export function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(ConnectError.from(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ConnectError.from(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal.removeEventListener("abort", onAbort);
    work().then(
      (value) => (settle(), resolve(value)),
      (error: unknown) => (settle(), reject(error)),
    );
  });
}
