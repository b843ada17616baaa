/**
 * The cases of bench/execute.ts: bare QuickJS and the other in-process
 * references, and per store RunTrigger over gRPC (h2load) at 64 in flight and
 * at 1, with no secrets and with the org's 100 secrets of 4 KiB, and
 * GetAction's p99 idle and while actions spin to their deadline.
 */
import fs from "node:fs";
import path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExecutionService, Outcome, RunTriggerRequestSchema } from "../gen/actiond/v1/execution_pb.js";
import { GetActionRequestSchema, ManagementService } from "../gen/zitadel/management/v1/management_pb.js";
import { grpcHeaders } from "./api-answers.js";
import { bareQuickJS, type LoopResult, measureLoop, runActionInThread } from "./bare.js";
import { type Case, h2load, roundCase } from "./case-run.js";
import { grpcFrame } from "./clients.js";
import { grpcJsExecution } from "./execution-clients.js";
import { clearSecrets, fillSecrets, secretBytes, secretCount } from "./org-secrets.js";
import { measurePool } from "./pool.js";
import { countRecords, recordsFromNow } from "./records.js";
import type { Measured, RoundCase } from "./rounds.js";
import { startSpinners, type Spinners } from "./spinners.js";
import type { Store } from "./stores.js";

export const script = `function t(ctx, api) { api.v1.claims.setClaim("k", "v") }`;
const spinScript = `function spin(ctx, api) { while (true) {} }`;
export const spinTimeoutSeconds = 2;
export const spinnerCount = 2;
export const apiInFlight = 8;
export const bareName = "bare QuickJS, in process, 1 at a time";
export const runTriggerPath = `/${ExecutionService.typeName}/RunTrigger`;
const runTriggerRpc = `${ExecutionService.typeName}/RunTrigger`;
const getActionRpc = `${ManagementService.typeName}/GetAction`;

/** A store set up for the cases: the trivial action on flow 2 / trigger 5, a spinning one on 2 / 4, and the request bodies. */
export interface ExecStore {
  store: Store;
  actionId: string;
  runBody: string;
  getBody: string;
}

export async function setUpStore(store: Store, dir: string): Promise<ExecStore> {
  const client = grpcJsExecution(store.node.baseUrl.replace("http://", ""), store.d.token);
  try {
    const [actionId = ""] = await client.bind("2", "5", [{ name: "t", script }]);
    await client.bind("2", "4", [{ name: "spin", script: spinScript, timeoutSeconds: spinTimeoutSeconds }]);
    const file = (name: string, body: Buffer) => {
      fs.writeFileSync(path.join(dir, `${store.label}-${name}`), body);
      return path.join(dir, `${store.label}-${name}`);
    };
    const run = create(RunTriggerRequestSchema, { flowType: "2", triggerType: "5", context: {} });
    const runBody = file("run-trigger.grpc", grpcFrame(toBinary(RunTriggerRequestSchema, run)));
    const getBody = file("get-action.grpc", grpcFrame(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id: actionId }))));
    return { store, actionId, runBody, getBody };
  } finally {
    client.close();
  }
}

/** One RunTrigger over grpc-js, decoded: the action must have run and set its claim. */
export async function probeRunTrigger(s: ExecStore): Promise<void> {
  const client = grpcJsExecution(s.store.node.baseUrl.replace("http://", ""), s.store.d.token);
  try {
    const { execution } = await client.runTrigger("2", "5", {});
    const run = execution?.runs[0];
    if (run?.outcome !== Outcome.SUCCEEDED || execution?.mutations?.claims?.["k"] !== "v") {
      throw new Error(`${s.store.label}: the trivial action did not run as expected: ${JSON.stringify(run?.error ?? run?.outcome)}`);
    }
  } finally {
    client.close();
  }
}

const loopFigures = (r: LoopResult): Measured => ({ figures: { rate: r.perSecond, meanMs: r.meanMs, p50Ms: r.p50Ms, p99Ms: r.p99Ms } });

/** Bare QuickJS, the reference of the RunTrigger targets; runAction in this thread and the worker pool alone, for information. */
export async function inProcessCases(seconds: number): Promise<RoundCase[]> {
  const loop = { warmupMs: 1_000, durationMs: seconds * 1_000, maxExecutions: Math.ceil(50_000 * seconds) };
  const bare = await bareQuickJS(script, "t");
  const inThread = await runActionInThread(script, "t", "2", "5");
  const checked = (execute: () => void, ok: () => boolean) => async () => {
    const r = measureLoop(execute, loop);
    if (!ok()) throw new Error("an in-process reference did not set the claim");
    return loopFigures(r);
  };
  const vsBare = { ref: bareName, kind: "rate" } as const;
  const pool = (workers: number, inFlight: number): RoundCase => ({
    name: `worker pool alone, ${workers} worker(s), ${inFlight} in flight, in process`,
    versus: vsBare,
    measure: async () => loopFigures(await measurePool(script, "t", workers, inFlight, loop)),
  });
  return [
    { name: bareName, measure: checked(bare.execute, () => bare.claims()["k"] === "v") },
    // runAction's packed mutations may hold a claim's value as JSON text.
    { name: "runAction in-thread, in process", versus: vsBare, measure: checked(inThread.execute, () => ["v", '"v"'].includes(String(inThread.last()?.mutations.claims["k"]))) },
    pool(1, 16),
    pool(2, 16),
  ];
}

/**
 * RunTrigger over gRPC at `level`: every ok answer must have left one record whose action succeeded.
 * With `withSecrets`, the org holds secretCount secrets during the case: set before it, deleted after it,
 * so that every other case runs in the same org with none.
 */
function runTrigger(name: string, s: ExecStore, level: { clients: number; streams: number }, withSecrets = false): Case {
  const { node, d, callLog } = s.store;
  let since = new Date();
  return {
    name,
    inFlight: level.clients * level.streams,
    load: h2load({ url: node.baseUrl + runTriggerPath, ...level, bodyFile: s.runBody, headers: { ...grpcHeaders, authorization: `Bearer ${d.token}` } }),
    serverPid: node.child.pid,
    calls: { log: callLog, rpc: runTriggerRpc },
    // Every record of the case must still be there to be counted: no more calls than the org keeps.
    maxRequests: node.child.info.executionMaxPerOrg,
    async probe() {
      if (withSecrets) await fillSecrets(node.baseUrl, d.token);
      await probeRunTrigger(s);
      since = await recordsFromNow();
    },
    async after(ok) {
      const records = await countRecords(node.baseUrl, d.token, { flowType: "2", triggerType: "5", since, actionId: s.actionId });
      if (withSecrets) await clearSecrets(node.baseUrl, d.token);
      return records.all === ok && records.succeeded === ok ? [] : [`${ok} calls answered ok, but ${records.all} records (${records.succeeded} succeeded) were written`];
    },
  };
}

/** GetAction at 8 in flight; with `spinning`, while that many RunTrigger calls keep an action spinning to its deadline. */
function getAction(name: string, s: ExecStore, spinning: number): Case {
  const { node, d, callLog } = s.store;
  const spinClient = grpcJsExecution(node.baseUrl.replace("http://", ""), d.token);
  let spinners: Spinners | undefined;
  return {
    name,
    inFlight: apiInFlight,
    load: h2load({ url: `${node.baseUrl}/${getActionRpc}`, clients: 1, streams: apiInFlight, bodyFile: s.getBody, headers: { ...grpcHeaders, authorization: `Bearer ${d.token}` } }),
    serverPid: node.child.pid,
    calls: { log: callLog, rpc: getActionRpc, alsoExpected: spinning ? [runTriggerRpc] : [] },
    async probe() {
      await spinClient.getAction(s.actionId);
      if (spinning) spinners = startSpinners(spinClient, "2", "4", spinning, Number.MAX_SAFE_INTEGER);
    },
    async after() {
      if (!spinners) return [];
      const spin = await spinners.stop((spinTimeoutSeconds * spinning + 5) * 1_000);
      spinners = undefined;
      return spin.calls > 0 ? [] : ["no spinning RunTrigger call finished during the case"];
    },
  };
}

const runTriggerName = (label: string, inFlight: 64 | 1) => `${label}: RunTrigger, gRPC, ${inFlight} in flight`;

/** RunTrigger with the org's secrets, read against the same calls in the same org without any. */
export function secretsCases(s: ExecStore, seconds: number): RoundCase[] {
  const label = s.store.label;
  const name = (inFlight: 64 | 1) => `${runTriggerName(label, inFlight)}, ${secretCount} secrets of ${secretBytes / 1024} KiB`;
  return [
    roundCase(runTrigger(name(64), s, { clients: 4, streams: 16 }, true), seconds, { ref: runTriggerName(label, 64), kind: "rate" }),
    roundCase(runTrigger(name(1), s, { clients: 1, streams: 1 }, true), seconds, { ref: runTriggerName(label, 1), kind: "mean" }),
  ];
}

/** A store's RunTrigger cases against bare QuickJS. */
export function runTriggerCases(s: ExecStore, seconds: number): RoundCase[] {
  const label = s.store.label;
  return [
    roundCase(runTrigger(runTriggerName(label, 64), s, { clients: 4, streams: 16 }), seconds, {
      ref: bareName,
      kind: "rate",
      target: { op: "≥", bound: 0.8 },
    }),
    roundCase(runTrigger(runTriggerName(label, 1), s, { clients: 1, streams: 1 }), seconds, {
      ref: bareName,
      kind: "mean − p50",
      target: { op: "≤", bound: 0.3 },
    }),
  ];
}

/** A store's cases: RunTrigger against bare QuickJS, the API's p99 busy against idle, and RunTrigger with secrets against without. */
export function storeCases(s: ExecStore, seconds: number): RoundCase[] {
  const label = s.store.label;
  const idle = `${label}: GetAction, gRPC, ${apiInFlight} in flight, idle`;
  return [
    ...runTriggerCases(s, seconds),
    roundCase(getAction(idle, s, 0), seconds),
    roundCase(getAction(`${label}: GetAction, gRPC, ${apiInFlight} in flight, ${spinnerCount} RunTriggers spinning`, s, spinnerCount), seconds, {
      ref: idle,
      kind: "p99",
      target: { op: "≤", bound: 2 },
    }),
    ...secretsCases(s, seconds),
  ];
}
