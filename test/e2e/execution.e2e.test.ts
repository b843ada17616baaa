import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LogLevel, Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let c: ReturnType<typeof clientsFor>;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  const org = await createOrgWithToken(server, ["ORG_OWNER"], "runners");
  orgId = org.orgId;
  c = clientsFor(server.baseUrl, org.token);
});
afterAll(() => server.close());

async function action(name: string, body: string, opts: { allowedToFail?: boolean; timeoutSeconds?: number } = {}) {
  const { id } = await c.management.createAction({
    name,
    script: `function ${name}(ctx, api) {\n${body}\n}`,
    allowedToFail: opts.allowedToFail ?? false,
    timeout: opts.timeoutSeconds === undefined ? undefined : { seconds: BigInt(opts.timeoutSeconds) },
  });
  return id;
}

const rpcError = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => ConnectError.from(e));

describe("RunTrigger", () => {
  it("runs the trigger's active actions in order; each sees what the ones before it did", async () => {
    const first = await action("tagTeam", `api.v1.claims.setClaim("team", "blue"); console.log("first sees", JSON.stringify(ctx.v1.claims));`);
    const second = await action("echoTeam", `api.v1.claims.setClaim("echo", ctx.v1.claims.team + "!"); api.v1.claims.setClaim("team", "red");`);
    const skipped = await action("inactiveOne", `api.v1.claims.setClaim("never", true);`);
    await c.management.deactivateAction({ id: skipped });
    await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [first, skipped, second] });

    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: { claims: { sub: "u1" } } });
    expect(execution?.runs.map((r) => [r.name, r.outcome])).toEqual([
      ["tagTeam", Outcome.SUCCEEDED],
      ["echoTeam", Outcome.SUCCEEDED],
    ]);
    expect(execution?.runs[0]?.logs).toEqual([expect.objectContaining({ level: LogLevel.INFO, message: 'first sees {"sub":"u1","team":"blue"}' })]);
    expect(execution?.mutations?.claims).toMatchObject({ team: "blue", echo: "blue!" });
    expect(execution?.mutations?.claims?.["urn:zitadel:iam:action:echoTeam:log"]).toEqual(['key "team" already exists']);
    expect(execution?.aborted).toBe(false);

    const stored = await c.execution.getExecution({ id: execution!.id });
    expect(stored.execution?.runs.map((r) => r.actionId)).toEqual([first, second]);
  });

  it("goes on past a failing action allowed to fail, and stops at one that is not", async () => {
    const lenient = await action("mayFail", `throw new Error("soft failure")`, { allowedToFail: true });
    const strict = await action("mustNotFail", `\n  null.boom;`);
    const after = await action("afterwards", `api.v1.claims.setClaim("ran", true)`);
    await c.management.setTriggerActions({ flowType: "2", triggerType: "4", actionIds: [lenient, strict, after] });

    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "4", context: {} });
    expect(execution?.aborted).toBe(true);
    expect(execution?.runs.map((r) => r.outcome)).toEqual([Outcome.FAILED, Outcome.FAILED]);
    expect(execution?.runs[0]?.error?.message).toContain("soft failure");
    expect(execution?.runs[1]?.error).toMatchObject({ line: 3 });
    expect(execution?.mutations?.claims).toEqual({});
  });

  it("rejects a context that does not fit the trigger, naming the field", async () => {
    const err = await rpcError(c.execution.runTrigger({ flowType: "2", triggerType: "5", context: { claims: "not an object" } }));
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toContain("claims");
    const wrong = await rpcError(c.execution.runTrigger({ flowType: "2", triggerType: "1", context: {} }));
    expect(wrong?.code).toBe(Code.InvalidArgument);
  });
});

describe("TestAction", () => {
  it("runs an unsaved script as RunTrigger would and stores nothing", async () => {
    const before = (await c.execution.listExecutions({})).totalResult;
    const { execution } = await c.execution.testAction({
      name: "tryMe",
      script: `function tryMe(ctx, api) { api.v1.attributes.setCustomAttribute("dept", "", "eng", "ops") }`,
      flowType: "4",
      triggerType: "6",
      context: {},
    });
    expect(execution?.id).toBe("");
    expect(execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);
    expect(execution?.mutations?.customAttributes).toEqual([expect.objectContaining({ name: "dept", values: ["eng", "ops"] })]);
    expect((await c.execution.listExecutions({})).totalResult).toBe(before);
  });

  it("says plainly when the function is missing, and where a syntax error is", async () => {
    const missing = await c.execution.testAction({ name: "my action", script: "function myAction() {}", flowType: "2", triggerType: "4" });
    expect(missing.execution?.runs[0]?.error?.message).toMatch(/my action/);
    expect(missing.execution?.runs[0]?.error?.message).toMatch(/named exactly like the action/);
    const syntax = await c.execution.testAction({ name: "broken", script: "function broken() {\n  let x = ;\n}", flowType: "2", triggerType: "4" });
    expect(syntax.execution?.runs[0]).toMatchObject({ outcome: Outcome.FAILED, error: { line: 2 } });
  });
});

describe("ListExecutions and GetExecution", () => {
  it("filters by action, outcome and flow, newest first, and keeps orgs apart", async () => {
    const id = await action("listed", `api.v1.claims.setClaim("x", 1)`);
    await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [id] });
    const one = (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    const two = (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    const byAction = await c.execution.listExecutions({ actionId: id });
    expect(byAction.result.map((e) => e.id)).toEqual([two.id, one.id]);
    expect(byAction.totalResult).toBe(2n);
    expect((await c.execution.listExecutions({ actionId: id, outcome: Outcome.FAILED })).totalResult).toBe(0n);
    expect((await c.execution.listExecutions({ actionId: id, flowType: "1" })).totalResult).toBe(0n);
    expect((await c.execution.listExecutions({ actionId: id, limit: 1, offset: 1n })).result.map((e) => e.id)).toEqual([one.id]);

    const other = await createOrgWithToken(server, ["ORG_OWNER"], "other runners");
    const stranger = clientsFor(server.baseUrl, other.token);
    expect((await rpcError(stranger.execution.getExecution({ id: one.id })))?.code).toBe(Code.NotFound);
    expect((await stranger.execution.listExecutions({})).totalResult).toBe(0n);
  });

  it("lets ACTION_EXECUTOR run triggers but not test scripts or read actions", async () => {
    const executor = await createOrgWithToken(server, ["ACTION_EXECUTOR"], "executor org");
    const x = clientsFor(server.baseUrl, executor.token);
    expect((await x.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution?.runs).toEqual([]);
    expect((await rpcError(x.execution.testAction({ name: "a", script: "function a() {}", flowType: "2", triggerType: "4" })))?.code).toBe(
      Code.PermissionDenied,
    );
    expect((await rpcError(x.management.listActions({})))?.code).toBe(Code.PermissionDenied);
  });

  it("is reachable over REST", async () => {
    const res = await fetch(`${server.baseUrl}/v1/actions/_test`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "x-zitadel-orgid": orgId },
      body: JSON.stringify({ name: "viaRest", script: "function viaRest(ctx, api) { api.v1.claims.setClaim('k', 'v') }", flowType: "2", triggerType: "5" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { execution: { runs: { outcome: string }[]; mutations: { claims: Record<string, string> } } };
    expect(body.execution.runs[0]?.outcome).toBe("OUTCOME_SUCCEEDED");
    expect(body.execution.mutations.claims).toEqual({ k: "v" });
  });
});

describe("per-org fairness", () => {
  it("serves a quiet org between the runs of an org that floods the pool", async () => {
    const flooder = await createOrgWithToken(server, ["ORG_OWNER"], "flooder");
    const quiet = await createOrgWithToken(server, ["ORG_OWNER"], "quiet");
    const f = clientsFor(server.baseUrl, flooder.token);
    const q = clientsFor(server.baseUrl, quiet.token);
    const busy = `function busy() { const end = Date.now() + 150; while (Date.now() < end) {} }`;
    const finished: string[] = [];
    const floods = Array.from({ length: 6 }, (_, i) =>
      f.execution.testAction({ name: "busy", script: busy, flowType: "2", triggerType: "5" }).then(() => finished.push(`flood${i}`)),
    );
    // Let the flood queue up first, then ask once from the quiet org.
    await new Promise((r) => setTimeout(r, 50));
    const quick = q.execution
      .testAction({ name: "quick", script: "function quick() {}", flowType: "2", triggerType: "5" })
      .then(() => finished.push("quiet"));
    await Promise.all([...floods, quick]);
    // With orgs served in turn, the quiet org waits for at most the runs already started, not for the whole flood.
    expect(finished.indexOf("quiet")).toBeLessThan(4);
  });
});

describe("client deadlines", () => {
  const spin = { name: "spin", script: "function spin() { for (;;) {} }", timeout: { seconds: 2n }, flowType: "2", triggerType: "4" };

  /**
   * The run ends a margin before the caller's deadline, so the caller gets the
   * record with the run cut short; on a loaded machine the deadline may still
   * win the race. Either way the run did not go on to its own 2 s.
   */
  type Answer = { deadlineExceeded: true } | { timedOut: boolean; seconds: number };
  function expectCutShort(answer: Answer) {
    if ("deadlineExceeded" in answer) return;
    expect(answer.timedOut).toBe(true);
    expect(answer.seconds).toBeLessThan(1);
  }

  it("are honoured over gRPC (grpc-timeout), and bound the run itself", async () => {
    const answer: Answer = await c.execution.testAction(spin, { timeoutMs: 200 }).then(
      ({ execution }) => {
        const run = execution?.runs[0];
        return { timedOut: run?.outcome === Outcome.TIMED_OUT, seconds: Number(run?.duration?.seconds ?? NaN) + (run?.duration?.nanos ?? 0) / 1e9 };
      },
      (err: unknown) => {
        expect(ConnectError.from(err).code).toBe(Code.DeadlineExceeded);
        return { deadlineExceeded: true };
      },
    );
    expectCutShort(answer);
    // The run was bound by the caller's deadline, so the pool is free well before the action's own 2 s:
    // the next call (with its own short deadline) gets its answer instead of waiting behind the spinner.
    const next = await c.execution.testAction({ ...spin, script: "function spin() {}" }, { timeoutMs: 1_500 });
    expect(next.execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);
  });

  it("are honoured over REST", async () => {
    const res = await fetch(`${server.baseUrl}/v1/actions/_test`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "grpc-timeout": "200m" },
      body: JSON.stringify({ ...spin, timeout: "2s" }),
    });
    const body = (await res.json()) as { code?: number; execution?: { runs: { outcome: string; duration: string }[] } };
    if (res.status === 504) {
      expect(body.code).toBe(Code.DeadlineExceeded);
      return;
    }
    expect(res.status).toBe(200);
    const run = body.execution?.runs[0];
    expectCutShort({ timedOut: run?.outcome === "OUTCOME_TIMED_OUT", seconds: Number.parseFloat(run?.duration ?? "NaN") });
  });

  it("stop the run of a caller that goes away; the record shows what ran", async () => {
    const stuck = await action("stuck", "for (;;) {}", { timeoutSeconds: 20 });
    const after = await action("notReached", `api.v1.claims.setClaim("ran", true)`);
    await c.management.setTriggerActions({ flowType: "4", triggerType: "6", actionIds: [stuck, after] });
    const caller = new AbortController();
    const call = c.execution.runTrigger({ flowType: "4", triggerType: "6", context: {} }, { signal: caller.signal });
    setTimeout(() => caller.abort(), 300);
    expect((await rpcError(call))?.code).toBe(Code.Canceled);
    // Well before the action's own 20 s, the worker serves again.
    const next = await c.execution.testAction({ ...spin, script: "function spin() {}" }, { timeoutMs: 5_000 });
    expect(next.execution?.runs[0]?.outcome).toBe(Outcome.SUCCEEDED);
    const recorded = await vi.waitFor(async () => (await c.execution.listExecutions({ actionId: stuck })).result[0]!, { timeout: 5_000 });
    expect(recorded.aborted).toBe(true);
    expect(recorded.runs.map((r) => [r.name, r.outcome, r.error?.message])).toEqual([
      ["stuck", Outcome.TIMED_OUT, "stopped: the caller went away before the action finished"],
    ]);
  });
});
