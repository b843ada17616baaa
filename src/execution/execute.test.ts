import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caller, fields, otherCaller } from "../../test/support/events.js";
import { type ScriptedRun, scriptedRunner, useFakeClock } from "../../test/support/scripted-runner.js";
import { addAction, deactivateAction } from "../command/action-commands.js";
import type { CommandDeps } from "../command/command-context.js";
import { setTriggerActions } from "../command/flow-commands.js";
import { setSecret } from "../command/secret-commands.js";
import type { ActionFields } from "../domain/action.js";
import type { Caller } from "../domain/caller.js";
import type { DomainError } from "../domain/errors.js";
import type { ExecutionRecord } from "../domain/execution-record.js";
import { createEventStore } from "../store/event-store.js";
import { createSecretBox } from "../store/secret-box.js";
import type { ExecutionLog } from "../store/execution-records.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import type { RunOrder } from "./action-runner.js";
import { type ExecuteDeps, runTrigger, testAction } from "./execute.js";

const clock = useFakeClock();
const triggerBudgetMs = 3_000;
const seconds = (s: number) => s * 1_000_000_000;

let db: SqlDatabase;
let commands: CommandDeps;
let recorded: ExecutionRecord[];
const box = createSecretBox(crypto.randomBytes(32));

beforeEach(() => {
  db = openSqliteDatabase(":memory:");
  let id = 0;
  commands = { store: createEventStore(db), newId: () => `id-${++id}` };
  recorded = [];
});
afterEach(() => db.close());

/** Saves an action named `name` and returns its id. */
async function saved(name: string, changes: Partial<ActionFields> = {}, by: Caller = caller): Promise<string> {
  return (await addAction(commands, by, { ...fields, name, script: `function ${name}(ctx, api) {}`, ...changes })).id;
}

async function bind(flowType: string, triggerType: string, actionIds: string[], by: Caller = caller): Promise<void> {
  await setTriggerActions(commands, by, { flowType, triggerType, actionIds });
}

function deps(script: Record<string, ScriptedRun> = {}) {
  const fake = scriptedRunner(clock, script);
  const records: ExecutionLog = { append: (r) => void recorded.push(r), flush: async () => {}, read: (query) => query(db) };
  const executeDeps: ExecuteDeps = { db, secrets: box, records, runner: fake.runner, newId: () => "exec-1", triggerBudgetMs, resultsMaxBytes: 4_096, pageMaxBytes: 8_192 };
  return { ...fake, deps: executeDeps };
}

const trigger = { flowType: "2", triggerType: "5", context: {} };

async function refusal(run: Promise<unknown>): Promise<Pick<DomainError, "code" | "id">> {
  const { code, id } = (await run.then(() => expect.unreachable("it ran"), (e: DomainError) => e)) as DomainError;
  return { code, id };
}

describe("runTrigger()", () => {
  it("runs the org's active actions of the trigger in their order and records the execution", async () => {
    const [late, inactive, early] = [await saved("late"), await saved("inactive"), await saved("early", { allowedToFail: true })];
    await bind("2", "5", [early, inactive, late]);
    await bind("2", "4", [late]);
    await deactivateAction(commands, caller, inactive);
    await bind("2", "5", [await saved("foreign", {}, otherCaller)], otherCaller);
    const { ran, calls, deps: d } = deps();

    const record = await runTrigger(d, caller, trigger);
    expect(ran()).toEqual(["early", "late"]);
    expect(calls.map((c) => c.orgId)).toEqual([caller.orgId, caller.orgId]);
    expect(record).toMatchObject({ id: "exec-1", orgId: caller.orgId, flowType: "2", triggerType: "5", aborted: false });
    expect(record.runs.map((r) => [r.actionId, r.name, r.allowedToFail])).toEqual([[early, "early", true], [late, "late", false]]);
    expect(recorded).toEqual([record]);
  });

  it("records a trigger without actions too", async () => {
    const record = await runTrigger(deps().deps, caller, trigger);
    expect(record.runs).toEqual([]);
    expect(recorded).toEqual([record]);
  });

  it("resolves legacy flow and trigger names to their ids", async () => {
    await bind("1", "1", [await saved("a")]);
    const { calls, deps: d } = deps();
    const legacy = { flowType: "FLOW_TYPE_EXTERNAL_AUTHENTICATION", triggerType: "TRIGGER_TYPE_POST_AUTHENTICATION", context: {} };
    const record = await runTrigger(d, caller, legacy);
    expect([record.flowType, record.triggerType]).toEqual(["1", "1"]);
    expect([calls[0]!.order.flowType, calls[0]!.order.triggerType]).toEqual(["1", "1"]);
  });

  const refused: [string, Partial<typeof trigger>, Pick<DomainError, "code" | "id">][] = [
    ["an unknown flow type", { flowType: "7" }, { code: "InvalidArgument", id: "EXEC-flow-type" }],
    ["a trigger of another flow", { triggerType: "1" }, { code: "InvalidArgument", id: "EXEC-trigger-type" }],
    ["a context field the trigger does not have", { context: { nope: 1 } as never }, { code: "InvalidArgument", id: "EXEC-context" }],
  ];
  for (const [what, input, error] of refused) {
    it(`refuses ${what}, running and recording nothing`, async () => {
      await bind("2", "5", [await saved("a")]);
      const { calls, deps: d } = deps();
      expect(await refusal(runTrigger(d, caller, { ...trigger, ...input }))).toEqual(error);
      expect([calls, recorded]).toEqual([[], []]);
    });
  }
});

describe("the time budget of a run", () => {
  let named = 0;
  /** The timeout each action of a bound trigger is given, when the runs take `takesMs` each. */
  async function timeouts(timeoutsNs: number[], input: { callerTimeoutMs?: number; takesMs?: number } = {}) {
    const names = timeoutsNs.map(() => `a${++named}`);
    const ids: string[] = [];
    for (const [i, name] of names.entries()) ids.push(await saved(name, { timeoutNs: timeoutsNs[i]!, allowedToFail: true }));
    await bind("2", "5", ids);
    const script = Object.fromEntries(names.map((n) => [n, { takesMs: input.takesMs ?? 0 }]));
    const fake = deps(script);
    await runTrigger(fake.deps, caller, { ...trigger, callerTimeoutMs: input.callerTimeoutMs });
    return fake.timeouts();
  }

  it("is the action's own timeout when that is the shortest", async () => {
    expect(await timeouts([seconds(0.5), seconds(2.5)])).toEqual([500, 2_500]);
  });

  it("reads a timeout of 0 or past 20 s as 20 s, cut to the trigger budget", async () => {
    expect(await timeouts([0, seconds(25)])).toEqual([triggerBudgetMs, triggerBudgetMs]);
  });

  it("is what is left of the trigger budget after the runs before it", async () => {
    expect(await timeouts([seconds(20), seconds(20), seconds(20)], { takesMs: 1_200 })).toEqual([3_000, 1_800, 600]);
  });

  it("ends a margin of min(50 ms, a tenth) before the caller's deadline", async () => {
    expect(await timeouts([0], { callerTimeoutMs: 1_000 })).toEqual([950]);
    expect(await timeouts([0], { callerTimeoutMs: 200 })).toEqual([180]);
    expect(await timeouts([0], { callerTimeoutMs: 60_000 })).toEqual([triggerBudgetMs]);
  });

  it("shrinks with the caller's deadline from one action to the next", async () => {
    expect(await timeouts([seconds(20), seconds(20)], { callerTimeoutMs: 1_000, takesMs: 400 })).toEqual([950, 550]);
  });

  it("runs nothing once the caller's deadline leaves no time, and records why", async () => {
    await bind("2", "5", [await saved("a", { allowedToFail: true })]);
    const { ran, deps: d } = deps();
    const record = await runTrigger(d, caller, { ...trigger, callerTimeoutMs: 0 });
    expect(ran()).toEqual([]);
    expect(record).toMatchObject({ aborted: false, runs: [{ name: "a", outcome: "timed_out", durationMs: 0 }] });
  });
});

describe("testAction()", () => {
  it("runs the unsaved script once under the same budget, and records nothing", async () => {
    const { calls, deps: d } = deps({ draft: { outcome: "failed" } });
    const signal = new AbortController().signal;
    const input = { ...trigger, name: "draft", script: "function draft() {}", timeoutNs: seconds(2), allowedToFail: false };
    const record = await testAction(d, caller, { ...input, callerTimeoutMs: 1_000, signal });
    const order = expect.objectContaining({ name: "draft", script: "function draft() {}", timeoutMs: 950, results: { maxBytes: 4_096, usedBytes: 0 } });
    expect(calls).toEqual([{ orgId: caller.orgId, order, signal }]);
    expect(record).toMatchObject({ id: "", orgId: caller.orgId, aborted: true, runs: [{ actionId: "", name: "draft", outcome: "failed" }] });
    expect(recorded).toEqual([]);
  });

  it("refuses a trigger of another flow", async () => {
    const input = { ...trigger, triggerType: "3", name: "draft", script: "", timeoutNs: 0, allowedToFail: false };
    expect(await refusal(testAction(deps().deps, caller, input))).toEqual({ code: "InvalidArgument", id: "EXEC-trigger-type" });
  });
});

describe("secrets in runs", () => {
  const secretDeps = () => ({ ...commands, secrets: box });
  const value = "s3cr3t-VALUE-with \"quote\"";

  it("hands each run its own org's secrets as they are when it starts, opened", async () => {
    await setSecret(secretDeps(), caller, "API_KEY", "first");
    await setSecret(secretDeps(), otherCaller, "FOREIGN", "not yours");
    await bind("2", "5", [await saved("a")]);
    const { calls, deps: d } = deps();
    await runTrigger(d, caller, trigger);
    await setSecret(secretDeps(), caller, "API_KEY", "second");
    await testAction(d, caller, { ...trigger, name: "draft", script: "", timeoutNs: 0, allowedToFail: false });
    expect(calls.map((c) => ({ ...c.order.secrets }))).toEqual([{ API_KEY: "first" }, { API_KEY: "second" }]);
  });

  it("answers logs, errors and log claims redacted and claims as set; stores everything redacted", async () => {
    await setSecret(secretDeps(), caller, "API_KEY", value);
    await bind("2", "5", [await saved("a")]);
    const escaped = JSON.stringify(value).slice(1, -1);
    const { deps: d } = deps({ a: { outcome: "failed", error: { message: `boom ${value}` }, logs: [{ level: "info", message: `key=${value}` }] } });
    const leaky = (order: RunOrder) => ({
      ...order.mutations,
      claims: { key: JSON.stringify(value), [`k ${value}`]: JSON.stringify({ nested: [value] }) },
      claimLogs: [{ action: "a", entries: [`logged ${value}`] }],
      metadata: [{ key: "m", value: JSON.stringify(value) }],
    });
    const runner = d.runner;
    d.runner = { run: async (org, order, signal) => ({ ...(await runner.run(org, order, signal)), outcome: "succeeded", mutations: leaky(order) }) };

    const answer = await runTrigger(d, caller, trigger);
    expect(answer.runs[0]).toMatchObject({ logs: [{ message: "key=[secret:API_KEY]" }], error: { message: "boom [secret:API_KEY]" } });
    expect(answer.mutations.claimLogs).toEqual([{ action: "a", entries: ["logged [secret:API_KEY]"] }]);
    expect(answer.mutations.claims.key).toBe(value);
    const stored = JSON.stringify(recorded);
    expect(stored).not.toContain(value);
    expect(stored).not.toContain(escaped);
    expect(recorded[0]!.mutations.claims).toEqual({ key: "[secret:API_KEY]", "k [secret:API_KEY]": { nested: ["[secret:API_KEY]"] } });
    expect(recorded[0]!.mutations.metadata).toEqual([{ key: "m", value: '"[secret:API_KEY]"' }]);
  });

  it("keeps the context in the stored record, redacted, and replays it in TestAction", async () => {
    await setSecret(secretDeps(), caller, "API_KEY", value);
    await bind("2", "5", [await saved("a")]);
    const { calls, deps: d } = deps();
    const context = { claims: { sub: "u1", leaked: value } };
    await runTrigger(d, caller, { ...trigger, context });
    expect(recorded[0]!.context).toEqual({ claims: { sub: "u1", leaked: "[secret:API_KEY]" } });
    expect(calls[0]!.order.context).toEqual(context);

    const replay = { name: "draft", script: "", timeoutNs: 0, allowedToFail: false, flowType: "", triggerType: "", executionId: "exec-1" };
    d.records = { ...d.records, read: (query) => query(db) };
    await db.run("INSERT INTO executions (id, resource_owner, flow_type, trigger_type, started_at, zitadel_target_id, record) VALUES (?, ?, ?, ?, ?, ?, ?)", [
      "exec-1",
      caller.orgId,
      "2",
      "5",
      0,
      "",
      JSON.stringify(recorded[0]),
    ]);
    const replayed = await testAction(d, caller, replay);
    expect([replayed.flowType, replayed.triggerType]).toEqual(["2", "5"]);
    expect(calls[1]!.order.context).toEqual(recorded[0]!.context);
    expect(await refusal(testAction(d, otherCaller, replay))).toEqual({ code: "NotFound", id: "EXEC-not-found" });
    expect(await refusal(testAction(d, caller, { ...replay, context: {} }))).toEqual({ code: "InvalidArgument", id: "EXEC-replay-context" });
  });
});
