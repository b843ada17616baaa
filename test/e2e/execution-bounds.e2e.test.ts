import { type JsonValue, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ExecutionSchema, ListExecutionsResponseSchema, Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { loadConfig } from "../../src/config.js";
import { type ExecutionCaller, executionCallers } from "../support/execution-callers.js";
import { clientsFor } from "../support/execution-client.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Each execution's results are bounded, and so is every answer that carries
 * them, on every protocol: a total cap on changes and logs, ListExecutions
 * pages bounded in bytes, the per-org count cap held as records are written,
 * and values no deeper than protobuf clients decode. The defaults under test:
 * 4 MiB messages, 1 MiB of results per execution, 2 MiB pages.
 */
const MiB = 1024 * 1024;
const resultsMaxBytes = MiB;
const pageMaxBytes = 2 * MiB;
const maxPerOrg = 8;
/** The deadline is not under test: the longest an action may have, so a busy machine cannot fail a run. */
const slow = { seconds: 20n };

let server: TestServer;
// Runs of megabytes, six protocols each: generous, for a machine whose cores are busy.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  const defaults = loadConfig([], {});
  server = await startTestServer({ execution: { ...defaults.execution, retentionMaxPerOrg: maxPerOrg } });
});
afterAll(() => server.close());

/** An org of its own, with gRPC clients and a caller per protocol. */
async function org(name: string) {
  const { orgId, token } = await createOrgWithToken(server, ["ORG_OWNER"], name);
  const callers = executionCallers(server, token);
  return { orgId, ...clientsFor(server.baseUrl, token), callers };
}

/** Binds actions named `<prefix><i>` with these bodies to flow 2, trigger 5; each may fail. */
async function bind(c: Awaited<ReturnType<typeof org>>, prefix: string, bodies: string[]): Promise<void> {
  const ids: string[] = [];
  for (const [i, body] of bodies.entries()) {
    const name = `${prefix}${i}`;
    const script = `function ${name}(ctx, api) {\n${body}\n}`;
    ids.push((await c.management.createAction({ name, script, allowedToFail: true, timeout: slow })).id);
  }
  await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: ids });
}

/** Runs `call` on every protocol; the answers must decode on each. */
async function onEvery<T>(callers: ExecutionCaller[], call: (caller: ExecutionCaller) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (const caller of callers) answers.push(await call(caller).catch((err: unknown) => expect.unreachable(`${caller.protocol}: ${String(err)}`)));
  return answers;
}

const nested = (levels: number) => `(() => { let v = "leaf"; for (let i = 0; i < ${levels}; i++) v = { k: v }; return v; })()`;

describe("the results of one execution", () => {
  it("stop at the cap: 20 actions of ~1 MiB claims each, the run crossing it fails clearly, and every answer decodes", async () => {
    const c = await org("twenty megabytes");
    await bind(c, "big", Array.from({ length: 20 }, (_, i) => `api.v1.claims.setClaim("c${i}", "x".repeat(1000000));`));

    const started = performance.now();
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} });
    const seconds = (performance.now() - started) / 1000;
    const bytes = toBinary(ExecutionSchema, execution!).byteLength;
    console.log(`20 actions x 1 MB claims: RunTrigger answered in ${seconds.toFixed(2)} s with a record of ${bytes} bytes`);

    expect(execution!.runs.map((r) => r.outcome)).toEqual([Outcome.SUCCEEDED, ...Array(19).fill(Outcome.FAILED)]);
    for (const run of execution!.runs.slice(1)) {
      expect(run.error?.message).toBe(
        `RangeError: setClaim: this execution's results exceed ${resultsMaxBytes} bytes (the changes and logs of all its actions together)`,
      );
    }
    expect(Object.keys(execution!.mutations?.claims ?? {})).toEqual(["c0"]);
    expect(bytes).toBeLessThan(resultsMaxBytes + 64 * 1024);

    const fetched = await onEvery(c.callers, (caller) => caller.call("getExecution", { id: execution!.id }));
    for (const answer of fetched) expect(Object.keys(answer.execution?.mutations?.claims ?? {})).toEqual(["c0"]);
    const listed = await onEvery(c.callers, (caller) => caller.call("listExecutions", {}));
    for (const answer of listed) expect(answer.result.map((e) => e.id)).toEqual([execution!.id]);
  });

  it("count logs too, and an action that may not fail ends the flow when it crosses the cap", async () => {
    const c = await org("chatty");
    const logs = 'for (let i = 0; i < 100; i++) console.log("y".repeat(600));';
    await bind(c, "chatty", Array.from({ length: 20 }, () => logs));
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} });
    const failed = execution!.runs.filter((r) => r.outcome === Outcome.FAILED);
    // 100 entries of 610 bytes each is about 60 KiB a run: the 18th run crosses 1 MiB.
    expect(execution!.runs.findIndex((r) => r.outcome === Outcome.FAILED)).toBe(17);
    expect(failed[0]?.error?.message).toMatch(/^logs: this execution's results exceed 1048576 bytes/);
    expect(toBinary(ExecutionSchema, execution!).byteLength).toBeLessThan(resultsMaxBytes + 64 * 1024);

    const strict = await c.execution.testAction({
      name: "strict",
      script: 'function strict(ctx, api) { api.v1.claims.setClaim("a", "x".repeat(600000)); api.v1.claims.setClaim("b", "x".repeat(600000)); }',
      allowedToFail: false,
      timeout: slow,
      flowType: "2",
      triggerType: "5",
    });
    expect(strict.execution).toMatchObject({ aborted: true, runs: [{ outcome: Outcome.FAILED }], mutations: { claims: {} } });
  });
});

describe("ListExecutions", () => {
  it("ends a page before it passes the byte budget, keeps the total, and pages through every record exactly once", async () => {
    const c = await org("large records");
    await bind(c, "large", ['api.v1.claims.setClaim("blob", "z".repeat(700000));']);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.unshift((await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!.id);

    for (const caller of c.callers) {
      const seen: string[] = [];
      let pages = 0;
      for (let offset = 0n; ; pages++) {
        const page = await caller.call("listExecutions", { offset });
        expect(page.totalResult, caller.protocol).toBe(7n);
        expect(toBinary(ListExecutionsResponseSchema, page).byteLength, caller.protocol).toBeLessThanOrEqual(pageMaxBytes + 64);
        if (page.result.length === 0) break;
        seen.push(...page.result.map((e) => e.id));
        // The next page starts after the records this one returned.
        offset += BigInt(page.result.length);
      }
      expect(seen, caller.protocol).toEqual(ids);
      expect(pages, caller.protocol).toBe(4);
    }
  });
});

describe("the per-org count cap", () => {
  it("holds right after more than the cap are written, with no timer involved", async () => {
    const c = await org("many runs");
    const ids: string[] = [];
    for (let i = 0; i < maxPerOrg + 3; i++) {
      ids.unshift((await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!.id);
    }
    const list = await c.execution.listExecutions({});
    expect(list.totalResult).toBe(BigInt(maxPerOrg));
    expect(list.result.map((e) => e.id)).toEqual(ids.slice(0, maxPerOrg));
  });
});

describe("deep values", () => {
  const deepClaim = (levels: number) => ({
    name: "deep",
    script: `function deep(ctx, api) { api.v1.claims.setClaim("deep", ${nested(levels)}); }`,
    timeout: slow,
    flowType: "2",
    triggerType: "5",
  });

  for (const levels of [2000, 31]) {
    it(`fail a claim ${levels} levels deep at once, with a clear message, and keep the worker`, async () => {
      const c = await org(`deep ${levels}`);
      const logged = server.logs.length;
      const started = performance.now();
      const { execution } = await c.execution.testAction(deepClaim(levels));
      const seconds = (performance.now() - started) / 1000;
      expect(execution?.runs[0]).toMatchObject({
        outcome: Outcome.FAILED,
        error: { message: 'RangeError: claim "deep" is nested too deeply: more than 30 levels, which protobuf clients refuse' },
      });
      expect(seconds).toBeLessThan(5);
      const next = await c.execution.testAction({ name: "next", script: "function next() {}", flowType: "2", triggerType: "5" });
      expect(next.execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);
      const workerTrouble = server.logs.slice(logged).filter((l) => /worker|overran|replac/i.test(String(l.msg)));
      expect(workerTrouble).toEqual([]);
    });
  }

  it("pass at the limit, 30 levels, in answers and records on every protocol", async () => {
    const c = await org("deep 30");
    const tested = await onEvery(c.callers, (caller) => caller.call("testAction", deepClaim(30)));
    for (const answer of tested) expect(answer.execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);

    await bind(c, "deep", [`api.v1.claims.setClaim("deep", ${nested(30)});`]);
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} });
    expect(execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);
    await onEvery(c.callers, (caller) => caller.call("getExecution", { id: execution!.id }));
    await onEvery(c.callers, (caller) => caller.call("listExecutions", {}));
  });

  it("are refused in the caller's context with the field named", async () => {
    const c = await org("deep context");
    let claim: JsonValue = { leaf: true };
    for (let i = 0; i < 31; i++) claim = { k: claim };
    const err = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: { claims: { deep: claim } } }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toMatch(/^context\.claims\.deep(\.k)+: is nested too deeply \(more than 30 levels\)/);
  });
});
