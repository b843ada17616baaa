import { toJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExecutionSchema } from "../../../gen/actiond/v1/execution_pb.js";
import { action, run } from "../../../test/support/runtime-harness.js";
import type { ExecutionRecord } from "../../domain/execution-record.js";
import { unpackMutations } from "../../runtime/index.js";
import { executionBytes, executionToPb } from "./execution-convert.js";

/** What a record of one run carries besides its results: ids, times, the run's name and outcome. */
const overheadBytes = 256;

async function recordOf(body: string, flow: { flowType: string; triggerType: string } = { flowType: "2", triggerType: "5" }) {
  const result = await run(action(body), { ...flow, timeoutMs: 20_000, results: { maxBytes: 1 << 30, usedBytes: 0 } });
  expect(result.outcome, result.error?.message).toBe("succeeded");
  const { mutations, resultBytes, ...ran } = result;
  const record: ExecutionRecord = {
    id: "401913292919942580",
    orgId: "401913292919942581",
    ...flow,
    startedAt: new Date(),
    durationMs: result.durationMs,
    aborted: false,
    runs: [{ actionId: "401913292919942582", name: "action", allowedToFail: false, ...ran }],
    mutations: unpackMutations(mutations),
  };
  return { record, counted: resultBytes ?? 0 };
}

describe("the bytes a run's results count for", () => {
  it.each([
    ["numbers, protobuf's worst case (a 1 is eight bytes there)", 'api.v1.claims.setClaim("n", Array(20000).fill(1));'],
    ["small objects under one-letter keys", 'api.v1.claims.setClaim("o", Array.from({ length: 5000 }, () => ({ a: 1, b: true, c: null })));'],
    ["empty containers", 'api.v1.claims.setClaim("e", Array.from({ length: 5000 }, (_, i) => (i % 2 ? [] : {})));'],
    ["many claims", 'for (let i = 0; i < 3000; i++) api.v1.claims.setClaim("k" + i, i);'],
    ["one long string", 'api.v1.claims.setClaim("s", "ä".repeat(100000));'],
    ["many log lines and log claim entries", 'for (let i = 0; i < 100; i++) { console.log("x"); api.v1.claims.appendLogIntoClaims(""); }'],
    ["many small metadata entries", 'for (let i = 0; i < 5000; i++) api.v1.user.setMetadata("", 1);'],
  ])("bound the record's protobuf size: %s", async (_, body) => {
    const { record, counted } = await recordOf(body);
    expect(executionBytes(record)).toBeLessThanOrEqual(counted + overheadBytes);
  });

  it("bound it for the lists of the login flows too", async () => {
    const body = 'for (let i = 0; i < 2000; i++) { api.v1.appendUserGrant({ projectId: "p", roles: ["r", "s"] }); }';
    const { record, counted } = await recordOf(body, { flowType: "1", triggerType: "3" });
    expect(executionBytes(record)).toBeLessThanOrEqual(counted + overheadBytes);
  });

  it("leave JSON within six times the protobuf size, however many characters need escaping", async () => {
    const { record } = await recordOf('api.v1.claims.setClaim("c", "\\u0001".repeat(50000)); console.log("\\u0002".repeat(10000));');
    expect(toJsonString(ExecutionSchema, executionToPb(record)).length).toBeLessThanOrEqual(6 * executionBytes(record) + overheadBytes);
  });
});
