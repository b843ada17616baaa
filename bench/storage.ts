/**
 * `npm run bench:storage`: GetAction, DeleteAction and RunTrigger on SQLite, on
 * PostgreSQL with one node, and on PostgreSQL with two nodes, under the same load.
 *
 * Load: two h2load processes, each one h2c connection with BENCH_CONCURRENCY ÷ 2
 * streams in flight, over the REST routes (an error is a non-2xx status, which
 * h2load counts; a gRPC error is HTTP 200). With one node both go to it; with
 * two nodes each goes to its own. Their requests, rates and latency logs are summed.
 *
 * The write is DeleteAction, not CreateAction: h2load sends one body, and
 * CreateAction needs a new name every time (names are unique per org). A URL list
 * (`h2load -i`) can differ per request, and one connection sends it in order,
 * each URL once: so the actions are created beforehand (by a Node client,
 * unmeasured) and DELETE /management/v1/actions/{id} removes each exactly once.
 * Like CreateAction it is one transaction that appends an event, updates the
 * projection and a unique constraint (it releases the name). Afterwards the
 * actions left must be exactly those not deleted. RunTrigger's measured run
 * must leave one succeeded execution record per 2xx answer (it is kept to
 * --execution-max-per-org calls, so that all of them can be counted).
 *
 * PostgreSQL is a throwaway cluster from test/support/postgres-cluster.ts, which
 * runs it with fsync, synchronous_commit and full_page_writes off; SQLite
 * (WAL, synchronous=NORMAL) does not sync on commit either. Both keep their
 * files in the same place (tmpfs when it has room). Prints only; asserts
 * nothing about timings; a non-2xx answer, a lost delete or a missing record is
 * listed under FAILED and makes the exit code 1. PostgreSQL's logged ERRORs
 * (serialization failures the adapter retried) are counted per run.
 *
 * Env: BENCH_CONCURRENCY (calls in flight in all, default 32), BENCH_SECONDS (measured
 * seconds per case, default 10), BENCH_WARMUP_SECONDS (default 5; DeleteAction's warm-up is 1,000 deletes),
 * BENCH_DELETE_POOL (DeleteAction's measured run deletes at most this many, default 16000),
 * BENCH_QUIET_SECONDS (how long to wait, at most, for a quiet machine before each run, default 10).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { CreateActionRequestSchema, CreateActionResponseSchema, ManagementService } from "../gen/zitadel/management/v1/management_pb.js";
import { adminQuery, type PostgresCluster, startPostgresCluster } from "../test/support/postgres-cluster.js";
import { deploy, type Deployment, type Engine, type Node } from "./deploy.js";
import { grpcJsUnary, scriptFor } from "./clients.js";
import { envNumber, loadavg, runBench, waitForQuiet } from "./common.js";
import { grpcJsExecution } from "./execution-clients.js";
import { ensureH2load, type H2loadOptions } from "./h2load.js";
import { drive, type Measured, type PgLog, pgLogOf } from "./storage-load.js";
import { type Row, formatStorageReport, opNames, type OpName, type SetupName } from "./storage-report.js";

const script = `function t(ctx, api) { api.v1.claims.setClaim("k", "v") }`;
const step = (what: string) => process.stderr.write(`${what} …\n`);
const concurrency = envNumber("BENCH_CONCURRENCY", 32, true);
const seconds = envNumber("BENCH_SECONDS", 10, false);
const warmupSeconds = envNumber("BENCH_WARMUP_SECONDS", 5, false);
const deletePool = envNumber("BENCH_DELETE_POOL", 16_000, true);
const quietMs = envNumber("BENCH_QUIET_SECONDS", 10, false) * 1_000;
const maxRequests = 500_000;
/** DeleteAction's warm-up: its actions are created first, at a few hundred a second on PostgreSQL. */
const deleteWarmup = 1_000;
/** Two h2load processes, each one connection with half the calls in flight. */
const lanes = 2;
const streams = Math.max(1, Math.round(concurrency / lanes));

interface Bench extends Deployment {
  /** The action GetAction reads. */
  getId: string;
  /** The action RunTrigger runs. */
  runId: string;
}

const setups: { name: SetupName; engine: Engine; nodes: 1 | 2 }[] = [
  { name: "SQLite, 1 node", engine: "sqlite", nodes: 1 },
  { name: "PostgreSQL, 1 node", engine: "postgres", nodes: 1 },
  { name: "PostgreSQL, 2 nodes", engine: "postgres", nodes: 2 },
];

async function deployFor(engine: Engine, nodes: number, cluster: PostgresCluster, index: number): Promise<Bench> {
  const postgres = engine === "postgres" ? { cluster, database: `bench_${index}` } : undefined;
  const d = await deploy({ engine, nodes, parentDir: path.dirname(cluster.dir), postgres });
  try {
    const target = `127.0.0.1:${d.nodes[0]!.child.info.port}`;
    const execution = grpcJsExecution(target, d.token);
    let runId: string | undefined;
    try {
      [runId] = await execution.bind("2", "5", [{ name: "t", script }]);
    } finally {
      execution.close();
    }
    const [getId] = await createActions(target, d.token, "bench_get", 1);
    return { ...d, getId: getId!, runId: runId! };
  } catch (err) {
    await d.stop();
    throw err;
  }
}

/** `count` actions named `<prefix>_<n>` over grpc-js, 32 in flight: set-up, not measured. */
async function createActions(target: string, token: string, prefix: string, count: number): Promise<string[]> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const add = grpcJsUnary(client, `/${ManagementService.typeName}/CreateAction`, CreateActionRequestSchema, CreateActionResponseSchema);
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${token}`);
  const ids: string[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const name = `${prefix}_${i}`;
      ids[i] = (await add(create(CreateActionRequestSchema, { name, script: scriptFor(name) }), md.clone())).id;
    }
  };
  try {
    await Promise.all(Array.from({ length: 32 }, lane));
  } finally {
    client.close();
  }
  return ids;
}

async function call(d: Bench, node: Node, method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${d.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(node.baseUrl + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One call of each read on every node, checked by content: h2load sees only status codes. */
async function probe(d: Bench): Promise<void> {
  for (const [i, node] of d.nodes.entries()) {
    const got = await call(d, node, "GET", `/management/v1/actions/${d.getId}`);
    const name = (got.json["action"] as Record<string, unknown> | undefined)?.["name"];
    if (got.status !== 200 || name !== "bench_get_0") throw new Error(`node ${i + 1}: GetAction answered ${got.status} ${JSON.stringify(got.json)}`);
    const ran = await call(d, node, "POST", "/v1/flows/2/triggers/5/_run", { context: {} });
    if (ran.status !== 200 || !JSON.stringify(ran.json).includes('"k"')) throw new Error(`node ${i + 1}: RunTrigger answered ${ran.status} ${JSON.stringify(ran.json)}`);
  }
}

async function actionCount(d: Bench): Promise<number> {
  const r = await call(d, d.nodes[0]!, "POST", "/management/v1/actions/_search", {});
  return Number((r.json["details"] as Record<string, unknown> | undefined)?.["totalResult"] ?? 0);
}

/** Lane i's node: with one node both lanes go to it. */
const laneNode = (d: Bench, i: number) => d.nodes[i % d.nodes.length]!;

/** `requests` calls of one fixed request, split across the lanes. */
function fixedLanes(d: Bench, requests: number, route: string, extra: Partial<H2loadOptions>): H2loadOptions[] {
  return Array.from({ length: lanes }, (_, i) => ({
    url: laneNode(d, i).baseUrl + route,
    clients: 1,
    streams,
    requests: Math.ceil(requests / lanes),
    headers: { authorization: `Bearer ${d.token}`, ...extra.headers },
    ...(extra.bodyFile ? { bodyFile: extra.bodyFile } : {}),
  }));
}

/** DELETE of each id exactly once: lane i gets every lanes-th id, as a URL list on its one connection. */
function deleteLanes(d: Bench, ids: string[], dir: string): H2loadOptions[] {
  return Array.from({ length: lanes }, (_, i) => {
    const mine = ids.filter((_, k) => k % lanes === i);
    const uriFile = path.join(dir, `delete-${i}-${ids[0]}.txt`);
    fs.writeFileSync(uriFile, mine.map((id) => `${laneNode(d, i).baseUrl}/management/v1/actions/${id}\n`).join(""));
    return { uriFile, clients: 1, streams, requests: mine.length, headers: { authorization: `Bearer ${d.token}`, ":method": "DELETE" } };
  });
}

const pids = (d: Bench) => d.nodes.map((n) => n.child.pid);

/** Waits for a quiet machine (other sessions share it), at most BENCH_QUIET_SECONDS. */
const quiet = () => waitForQuiet(quietMs);

/**
 * A warm-up of about `warmupSeconds` at the rate guessed, then a run of the warm-up's rate × `seconds`,
 * at most `maxMeasured` calls. `since` is a moment after the warm-up's last call started and before the run's first.
 */
async function measureFixed(d: Bench, guess: number, build: (requests: number) => H2loadOptions[], pgLog: PgLog, maxMeasured = maxRequests) {
  await quiet();
  const warm = await drive(build(Math.min(maxRequests, Math.max(concurrency * 4, Math.round(guess * warmupSeconds)))), pids(d));
  const since = new Date();
  const measured = Math.min(maxMeasured, Math.max(concurrency * 4, Math.round(warm.rps * seconds)));
  return { m: await pgLog.during(() => drive(build(measured), pids(d))), since };
}

/**
 * RunTrigger, then a count of its records: every 2xx answer of the measured run must have left
 * one record, its action succeeded. The run is kept to what the org keeps (--execution-max-per-org,
 * whose pruning the warm-up has already set going), so every one of its records can be counted.
 */
async function measureRunTrigger(d: Bench, guess: number, body: string, pgLog: PgLog, problems: string[], label: string): Promise<Measured> {
  const build = (n: number) => fixedLanes(d, n, "/v1/flows/2/triggers/5/_run", { bodyFile: body, headers: { "content-type": "application/json" } });
  const { m, since } = await measureFixed(d, guess, build, pgLog, d.nodes[0]!.child.info.executionMaxPerOrg ?? maxRequests);
  const search = async (node: Node, extra: Record<string, unknown>) => {
    const query = { limit: 1, flowType: "2", triggerType: "5", startedAfter: since.toISOString(), ...extra };
    const r = await call(d, node, "POST", "/v1/executions/_search", query);
    if (r.status !== 200) throw new Error(`ListExecutions answered ${r.status} ${JSON.stringify(r.json)}`);
    return Number(r.json["totalResult"] ?? 0);
  };
  // A read on a node first writes what that node still holds; then the last node counts them all.
  for (const node of d.nodes) await search(node, {});
  const last = d.nodes[d.nodes.length - 1]!;
  const all = await search(last, {});
  const succeeded = await search(last, { actionId: d.runId, outcome: "OUTCOME_SUCCEEDED" });
  if (all !== m.status["2xx"] || succeeded !== all) {
    problems.push(`${label}: ${m.status["2xx"]} calls answered 2xx, but ${all} records (${succeeded} succeeded) were written`);
  }
  return m;
}

/**
 * `deleteWarmup` deletes as warm-up, whose rate sizes the measured run (up to BENCH_DELETE_POOL
 * actions). Each run's actions are created just before it, over grpc-js: set-up, not measured.
 * Afterwards the org must hold exactly the actions that no 2xx answer deleted.
 */
async function measureDeletes(d: Bench, dir: string, problems: string[], label: string, pgLog: PgLog): Promise<Measured> {
  const target = `127.0.0.1:${d.nodes[0]!.child.info.port}`;
  const before = await actionCount(d);
  let created = 0;
  let deleted = 0;
  const deleteFresh = async (count: number, measured: boolean) => {
    step(`${label}: creating ${count} actions to delete (grpc-js, not measured)`);
    const ids = await createActions(target, d.token, `bench_delete_${created}`, count);
    created += count;
    await quiet();
    const run = () => drive(deleteLanes(d, ids, dir), pids(d));
    const m = measured ? await pgLog.during(run) : { ...(await run()), pgErrors: {} };
    deleted += m.status["2xx"];
    return m;
  };
  const warm = await deleteFresh(deleteWarmup, false);
  const m = await deleteFresh(Math.max(concurrency * 4, Math.min(deletePool, Math.round(warm.rps * seconds))), true);
  const after = await actionCount(d);
  if (after !== before + created - deleted) {
    problems.push(`${label}: ${before + created} actions, ${deleted} deletes answered 2xx, but ${after} actions left`);
  }
  return m;
}

async function main() {
  ensureH2load((line) => process.stderr.write(line + "\n"));
  const started = performance.now();
  const loadBefore = loadavg();
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"})`);
  console.log(
    `load: ${lanes} h2load processes × 1 h2c connection × ${streams} streams = ${lanes * streams} calls in flight, REST routes; ` +
      `${warmupSeconds} s warm-up (DeleteAction: ${deleteWarmup} deletes) + ${seconds} s measured per case, count-bounded; loopback only`,
  );
  step("starting a throwaway PostgreSQL cluster");
  const cluster = await startPostgresCluster();
  const bodies = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-storage-bodies-"));
  process.once("exit", () => fs.rmSync(bodies, { recursive: true, force: true }));
  const runBody = path.join(bodies, "run-trigger.json");
  fs.writeFileSync(runBody, JSON.stringify({ context: {} }));
  const pgLog = pgLogOf(cluster);
  const version = (await adminQuery<{ server_version: string }>(cluster.url, "SHOW server_version"))[0]?.server_version;
  console.log(
    `PostgreSQL ${version}: throwaway cluster (test/support/postgres-cluster.ts) with fsync=off, synchronous_commit=off, full_page_writes=off; ` +
      `SQLite: WAL, synchronous=NORMAL. Neither waits for a disk on commit; both keep their files in ${path.dirname(cluster.dir)}.`,
  );
  console.log(`each node: actiond defaults (2 workers, PostgreSQL pool of 10 connections); one org; RunTrigger runs one action on flow 2 / trigger 5: ${script}`);
  const rows: Row[] = [];
  const problems: string[] = [];
  const lastRate = new Map<OpName, number>();
  try {
    for (const [index, setup] of setups.entries()) {
      step(`${setup.name}: starting`);
      const d = await deployFor(setup.engine, setup.nodes, cluster, index);
      try {
        await probe(d);
        for (const op of opNames) {
          const label = `${setup.name}, ${op}`;
          step(label);
          const guess = lastRate.get(op) ?? 1_000;
          const m =
            op === "GetAction"
              ? (await measureFixed(d, guess, (n) => fixedLanes(d, n, `/management/v1/actions/${d.getId}`, {}), pgLog)).m
              : op === "RunTrigger"
                ? await measureRunTrigger(d, guess, runBody, pgLog, problems, label)
                : await measureDeletes(d, bodies, problems, label, pgLog);
          lastRate.set(op, m.rps);
          const bad = m.requests - m.status["2xx"];
          if (bad > 0) problems.push(`${label}: ${bad} of ${m.requests} calls answered other than 2xx (${JSON.stringify(m.status)}, ${m.unanswered} unanswered)`);
          rows.push({ setup: setup.name, op, m });
        }
      } finally {
        await d.stop();
      }
    }
  } finally {
    await cluster.stop();
    fs.rmSync(bodies, { recursive: true, force: true });
  }
  console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  console.log("calls/s, p50 and p99 are h2load's (the two processes' requests and latency logs merged); CPU is the share of one core during the measured run");
  console.log();
  console.log(formatStorageReport(rows));
  if (problems.length > 0) {
    console.log();
    console.log("FAILED:");
    for (const p of problems) console.log(`- ${p}`);
    throw new Error(`${problems.length} problem(s), listed above`);
  }
}

runBench(main);
