import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { createLogger } from "../logger.js";
import { type CallMetrics, createCallObserver } from "./call-log.js";

/** An observer whose log lines and counted calls the test reads. */
function observed() {
  const lines: Record<string, unknown>[] = [];
  const counted: unknown[][] = [];
  const metrics: CallMetrics = { observeCall: (...args) => void counted.push(args) };
  const observe = createCallObserver(createLogger("info", (line) => lines.push(JSON.parse(line))), metrics);
  return { observe, lines, counted };
}

const method = ManagementService.method.getAction;
const rpc = "zitadel.management.v1.ManagementService/GetAction";

describe("createCallObserver()", () => {
  it("logs and counts each call with the same RPC, protocol and code", () => {
    const { observe, lines, counted } = observed();
    const startedAt = performance.now() - 12;
    observe({ method, protocol: "rest", requestId: "r-1", subject: "bot", org: "42", startedAt });
    observe({ method, protocol: "grpc", requestId: "r-2", error: new ConnectError("nope", Code.NotFound), startedAt });
    expect(lines).toEqual([
      expect.objectContaining({ msg: "call", rpc, protocol: "rest", subject: "bot", org: "42", code: "ok", requestId: "r-1" }),
      expect.objectContaining({ msg: "call", rpc, protocol: "grpc", code: "NotFound", requestId: "r-2" }),
    ]);
    expect(counted.map(([r, p, c]) => [r, p, c])).toEqual([
      [rpc, "rest", "ok"],
      [rpc, "grpc", "NotFound"],
    ]);
    // The same duration, in milliseconds on the line and in seconds in the metrics.
    for (const [i, line] of lines.entries()) {
      expect(line.ms).toBeGreaterThanOrEqual(12);
      expect(counted[i]![3]).toBeCloseTo((line.ms as number) / 1000, 3);
    }
  });

  it("reads anything but a ConnectError as Internal, as the client receives it", () => {
    const { observe, lines, counted } = observed();
    observe({ method, protocol: "connect", requestId: undefined, error: new Error("a bug"), startedAt: performance.now() });
    expect(lines[0]).toMatchObject({ code: "Internal" });
    expect(counted[0]![2]).toBe("Internal");
  });
});
