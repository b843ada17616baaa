import { Code, ConnectError } from "@connectrpc/connect";
import { EventEmitter, getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { callCompleted, callSignal } from "./call-signal.js";
import { type NodeResponse, watchClient } from "./node-http.js";

/** A response that emits "close", ended or not. */
function response(): NodeResponse & { close(ended: boolean): void } {
  const res = Object.assign(new EventEmitter(), { writableEnded: false }) as unknown as NodeResponse & { close(ended: boolean): void };
  res.close = (ended) => {
    Object.assign(res, { writableEnded: ended });
    res.emit("close");
  };
  return res;
}

const codeOf = (signal: AbortSignal) => (signal.reason as ConnectError).code;

describe("callSignal()", () => {
  it("aborts with Canceled when the client leaves, before or after it is made", () => {
    const early = response();
    const watchEarly = watchClient(early);
    early.close(false);
    expect(codeOf(callSignal({ client: watchEarly }).signal)).toBe(Code.Canceled);

    const late = response();
    const { signal } = callSignal({ client: watchClient(late) });
    expect(signal.aborted).toBe(false);
    late.close(false);
    expect(signal.reason).toMatchObject({ code: Code.Canceled, rawMessage: "client disconnected" });
  });

  it("does not abort when the response was complete before the connection closed", () => {
    const res = response();
    const { signal } = callSignal({ client: watchClient(res) });
    res.close(true);
    expect(signal.aborted).toBe(false);
  });

  it("aborts with DeadlineExceeded when the deadline passes, and at once for a deadline of 0", async () => {
    expect(codeOf(callSignal({ timeoutMs: 0 }).signal)).toBe(Code.DeadlineExceeded);
    const { signal } = callSignal({ timeoutMs: 20 });
    await new Promise((resolve) => signal.addEventListener("abort", resolve));
    expect(codeOf(signal)).toBe(Code.DeadlineExceeded);
  });

  it("aborts with the stop's reason, and lets go of the stop once ended", () => {
    const stop = new AbortController();
    const stopped = callSignal({ stop: stop.signal });
    const ended = callSignal({ stop: stop.signal, timeoutMs: 60_000 });
    ended.end(callCompleted);
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(1);
    const reason = new ConnectError("stopping", Code.Unavailable);
    stop.abort(reason);
    expect(stopped.signal.reason).toBe(reason);
    expect(ended.signal.reason).toBe(callCompleted);
  });
});
