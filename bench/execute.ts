/**
 * `npm run bench:execute`: what running an action through actiond costs.
 *
 * 1. RunTrigger over gRPC (h2c, loopback) with one trivial action bound to
 *    flow 2 / trigger 5, against an actiond child process: at
 *    BENCH_CONCURRENCY in flight and at 1, with the default worker count
 *    (cores − 1) and with --workers 2 --org-concurrency 2. Twice: with a lean
 *    h2 client (bench/lean-grpc.ts), which leaves the machine to the server
 *    and gives the figures the targets are read on, and with grpc-js, a full
 *    client such as a Node caller would use.
 * 2. The same script in this process, one execution at a time: bare
 *    quickjs-emscripten (quickjs-ng release sync) and the project's runAction
 *    (bench/bare.ts); and a plain grpc-js server's Health/Check, the floor of
 *    the transport on this machine.
 * 3. The API's p99 (GetAction over gRPC, 8 in flight) idle, and while two
 *    RunTrigger calls keep an action spinning to its 2 s deadline.
 *
 * Before each case it waits (at most BENCH_QUIET_SECONDS, default 20) for the
 * machine to be quiet, and prints the CPU other processes used during it.
 * Prints only; asserts nothing about timings. Env: BENCH_CONCURRENCY
 * (default 16), BENCH_SECONDS (measured seconds per case after a 1 s warm-up, default 5).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ExecutionService, Outcome, RunTriggerRequestSchema } from "../gen/actiond/v1/execution_pb.js";
import { HealthCheckRequestSchema } from "../gen/grpc/health/v1/health_pb.js";
import { bareQuickJS, measureLoop, runActionInThread } from "./bare.js";
import { startServerChild } from "./children.js";
import { grpcJsHealth } from "./clients.js";
import { cpuMeter, envNumber, runBench, loadavg, waitForQuiet } from "./common.js";
import { type Measured, type PoolRun, type Reference, type ServerRun, formatReport } from "./execute-report.js";
import { grpcJsExecution } from "./execution-clients.js";
import { leanUnary } from "./lean-grpc.js";
import { type LoadOptions, runLoad } from "./load.js";
import { measurePool } from "./pool.js";
import { startSpinners } from "./spinners.js";

const script = `function t(ctx, api) { api.v1.claims.setClaim("k", "v") }`;
const spinScript = `function spin(ctx, api) { while (true) {} }`;
const apiConcurrency = 8;
const spinnerCount = 2;
const spinTimeoutSeconds = 2;
const quietMs = envNumber("BENCH_QUIET_SECONDS", 20, false) * 1_000;
const step = (what: string) => process.stderr.write(`${what} …\n`);

async function measure(call: () => Promise<unknown>, o: LoadOptions, serverPid: number, quiet = true): Promise<Measured> {
  if (quiet) await waitForQuiet(quietMs);
  const m = { clientCpu: NaN, serverCpu: NaN, othersCpu: NaN };
  const onMeasure = cpuMeter(serverPid, (clientCpu, serverCpu, othersCpu) => Object.assign(m, { clientCpu, serverCpu, othersCpu }));
  const r = await runLoad(call, { ...o, onMeasure });
  if (r.firstError) process.stderr.write(`  ${r.errors} errors, first: ${r.firstError}\n`);
  return { r, ...m };
}

async function reference(execute: () => void, o: LoadOptions): Promise<Reference> {
  await waitForQuiet(quietMs);
  let othersCpu = NaN;
  const stop = cpuMeter(undefined, (_client, _server, others) => (othersCpu = others))();
  const r = measureLoop(execute, { warmupMs: o.warmupMs, durationMs: o.durationMs, maxExecutions: o.maxRequests });
  stop();
  return { r, othersCpu };
}

async function transportFloor(o: LoadOptions) {
  const child = await startServerChild(["baseline"]);
  const health = grpcJsHealth(`127.0.0.1:${child.info.port}`);
  const lean = leanUnary(`http://127.0.0.1:${child.info.port}`, "/grpc.health.v1.Health/Check", HealthCheckRequestSchema, {});
  try {
    step(`transport floor: plain grpc-js Health/Check, lean client, ${o.concurrency} in flight`);
    const leanMany = await measure(lean.call, o, child.pid);
    step("transport floor: plain grpc-js Health/Check, lean client, 1 in flight");
    const leanOne = await measure(lean.call, { ...o, concurrency: 1 }, child.pid);
    step(`transport floor: plain grpc-js Health/Check, grpc-js client, ${o.concurrency} in flight`);
    const many = await measure(health.call, o, child.pid);
    step("transport floor: plain grpc-js Health/Check, grpc-js client, 1 in flight");
    const one = await measure(health.call, { ...o, concurrency: 1 }, child.pid);
    return { lean: { many: leanMany, one: leanOne }, grpcJs: { many, one } };
  } finally {
    health.close();
    lean.close();
    await child.stop();
  }
}

async function benchServer(label: string, flags: string[], o: LoadOptions): Promise<ServerRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-exec-"));
  const child = await startServerChild(["actiond", dataDir, ...flags]).catch((err: unknown) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const target = `127.0.0.1:${child.info.port}`;
  const client = grpcJsExecution(target, child.info.adminToken ?? "");
  const spinClient = grpcJsExecution(target, child.info.adminToken ?? "");
  const lean = leanUnary(`http://${target}`, `/${ExecutionService.typeName}/RunTrigger`, RunTriggerRequestSchema, { flowType: "2", triggerType: "5", context: {} }, {
    authorization: `Bearer ${child.info.adminToken ?? ""}`,
  });
  try {
    const [actionId = ""] = await client.bind("2", "5", [{ name: "t", script }]);
    await client.bind("2", "4", [{ name: "spin", script: spinScript, timeoutSeconds: spinTimeoutSeconds }]);
    const first = await client.runTrigger("2", "5", {});
    const run = first.execution?.runs[0];
    if (run?.outcome !== Outcome.SUCCEEDED || first.execution?.mutations?.claims?.["k"] !== "v") {
      throw new Error(`the trivial action did not run as expected: ${JSON.stringify(run?.error ?? run?.outcome)}`);
    }
    const runTrigger = () => client.runTrigger("2", "5", {});
    const getAction = () => client.getAction(actionId);

    step(`[${label}] RunTrigger, lean client, ${o.concurrency} in flight`);
    const leanMany = await measure(lean.call, o, child.pid);
    step(`[${label}] RunTrigger, lean client, 1 in flight`);
    const leanOne = await measure(lean.call, { ...o, concurrency: 1 }, child.pid);
    step(`[${label}] RunTrigger, grpc-js client, ${o.concurrency} in flight`);
    const many = await measure(runTrigger, o, child.pid);
    step(`[${label}] RunTrigger, grpc-js client, 1 in flight`);
    const one = await measure(runTrigger, { ...o, concurrency: 1 }, child.pid);
    step(`[${label}] GetAction, ${apiConcurrency} in flight, idle`);
    const idle = await measure(getAction, { ...o, concurrency: apiConcurrency }, child.pid);
    step(`[${label}] GetAction, ${apiConcurrency} in flight, ${spinnerCount} RunTrigger calls spinning to their ${spinTimeoutSeconds} s deadline`);
    await waitForQuiet(quietMs);
    const maxCallsEach = Math.ceil((o.warmupMs + o.durationMs) / 1000 / spinTimeoutSeconds) + 2;
    const spinners = startSpinners(spinClient, "2", "4", spinnerCount, maxCallsEach);
    const busy = await measure(getAction, { ...o, concurrency: apiConcurrency }, child.pid, false);
    const spin = await spinners.stop((spinTimeoutSeconds * spinnerCount + 5) * 1000);
    const runTriggerCases = { lean: { many: leanMany, one: leanOne }, grpcJs: { many, one } };
    return { label, workers: child.info.workers ?? NaN, orgConcurrency: child.info.orgConcurrency ?? NaN, runTrigger: runTriggerCases, idle, busy, spin };
  } finally {
    lean.close();
    client.close();
    spinClient.close();
    await child.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const concurrency = envNumber("BENCH_CONCURRENCY", 16, true);
  const seconds = envNumber("BENCH_SECONDS", 5, false);
  const o: LoadOptions = { concurrency, warmupMs: 1_000, durationMs: seconds * 1_000, maxRequests: Math.ceil(50_000 * seconds), hangGraceMs: 10_000 };
  const cores = os.availableParallelism();
  const loadBefore = loadavg();
  console.log(`Node ${process.version}, ${cores} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"})`);
  console.log(`1 s warm-up + ${seconds} s measured per case; loopback only; one server child at a time; action: ${script}`);

  step("in-process: bare quickjs");
  const bareExec = await bareQuickJS(script, "t");
  const bare = await reference(bareExec.execute, o);
  step("in-process: runAction in-thread");
  const inThreadExec = await runActionInThread(script, "t", "2", "5");
  const inThread = await reference(inThreadExec.execute, o);
  if (bareExec.claims()["k"] !== "v" || inThreadExec.last()?.mutations.claims["k"] !== "v") {
    throw new Error("an in-process reference did not set the claim");
  }
  const pool: PoolRun[] = [];
  for (const [workers, inFlight] of [[1, concurrency], [1, 1], [2, concurrency]] as const) {
    step(`in-process: worker pool, ${workers} worker(s), ${inFlight} in flight`);
    await waitForQuiet(quietMs);
    const loop = { warmupMs: o.warmupMs, durationMs: o.durationMs, maxExecutions: o.maxRequests };
    pool.push({ workers, inFlight, r: await measurePool(script, "t", workers, inFlight, loop) });
  }
  const floor = await transportFloor(o);
  const runs = [
    await benchServer("default (cores − 1)", [], o),
    await benchServer("--workers 2 --org-concurrency 2", ["--workers", "2", "--org-concurrency", "2"], o),
  ];

  console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}`);
  console.log(
    "CPU: share of one core during the measured seconds (100% = a whole core); server CPU counts its worker threads;" +
      " others CPU is every other process of the machine",
  );
  console.log();
  console.log(formatReport({ concurrency, apiConcurrency, spinners: spinnerCount, bare, inThread, pool, floor, runs }));
}

runBench(main);
