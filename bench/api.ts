/**
 * `npm run bench`: throughput and latency of the management API per protocol,
 * against two grpc-js baselines measured in the same run. Prints only; asserts
 * nothing about timings.
 *
 * Env: BENCH_CONCURRENCY (in-flight requests, default 32), BENCH_SECONDS
 * (measured seconds per case after a 1 s warm-up, default 5).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ServerChild, startServerChild } from "./children.js";
import { type ManagementClient, type Unary, grpcJsHealth, managementClients } from "./clients.js";
import { type LoadResult, runLoad } from "./load.js";
import { cpuMeter, envNumber, runBench, fmt, formatTable, loadavg } from "./common.js";

interface Case {
  name: string;
  call: () => Promise<unknown>;
  /** The child process serving this case, for its CPU time. */
  serverPid: number;
}

interface Row {
  name: string;
  r: LoadResult;
  clientCpu: number;
  serverCpu: number;
}

const PLAIN = "baseline: plain grpc-js server, Health/Check (grpc-js)";
const HEALTH = "baseline: actiond Health/Check (grpc-js)";

function table(rows: Row[]): string {
  const plain = rows.find((x) => x.name === PLAIN)?.r.rps ?? NaN;
  const health = rows.find((x) => x.name === HEALTH)?.r.rps ?? NaN;
  const head = ["case", "RPS", "p50 ms", "p99 ms", "× plain grpc-js", "× actiond health", "errors", "client CPU", "server CPU"];
  const body = rows.map(({ name, r, clientCpu, serverCpu }) => [
    name + (r.incomplete ? " (calls hung)" : ""),
    Math.round(r.rps).toLocaleString("en-US"),
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
    fmt(r.rps / plain, 2),
    fmt(r.rps / health, 2),
    String(r.errors),
    `${fmt(clientCpu * 100, 0)}%`,
    `${fmt(serverCpu * 100, 0)}%`,
  ]);
  return formatTable(head, body);
}

async function main() {
  const concurrency = envNumber("BENCH_CONCURRENCY", 32, true);
  const seconds = envNumber("BENCH_SECONDS", 5, false);
  const options = {
    concurrency,
    warmupMs: 1_000,
    durationMs: seconds * 1_000,
    maxRequests: Math.ceil(100_000 * seconds),
    hangGraceMs: 10_000,
  };
  const cores = os.availableParallelism();
  console.log(`Node ${process.version}, ${cores} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"})`);
  console.log(`concurrency ${concurrency} in flight, 1 s warm-up + ${seconds} s measured per case, loopback only`);
  console.log(
    `processes: load generator (this one) and each server in its own child process;` +
      ` with ${cores} cores, client and the server under test roughly get one core each, so client cost is in the numbers.`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  // On an interrupt the finally below does not run; children.ts's exit hook has killed the children by then.
  process.once("exit", () => {
    try {
      removeDataDir();
    } catch {
      // best effort
    }
  });
  const children: ServerChild[] = [];
  const clients: (ManagementClient | Unary)[] = [];
  try {
    const [actiond, plain] = await Promise.all([startServerChild(["actiond", dataDir]), startServerChild(["baseline"])]);
    children.push(actiond, plain);
    const target = `127.0.0.1:${actiond.info.port}`;
    const baseUrl = `http://${target}`;
    const token = actiond.info.adminToken;
    if (!token) throw new Error("the actiond child reported no admin token");

    const plainHealth = grpcJsHealth(`127.0.0.1:${plain.info.port}`);
    const actiondHealth = grpcJsHealth(target);
    const protocols = managementClients(baseUrl, target, token, concurrency);
    clients.push(plainHealth, actiondHealth, ...protocols);

    const created = (await protocols[0]!.createAction("bench_get_target")) as { id: string };
    const serverPid = actiond.pid;
    const cases: Case[] = [
      { name: PLAIN, call: plainHealth.call, serverPid: plain.pid },
      { name: HEALTH, call: actiondHealth.call, serverPid },
      ...protocols.map((p) => ({ name: `GetAction    ${p.protocol}`, call: () => p.getAction(created.id), serverPid })),
      ...protocols.map((p, i) => {
        let n = 0;
        return { name: `CreateAction ${p.protocol}`, call: () => p.createAction(`bench_p${i}_${n++}`), serverPid };
      }),
    ];

    const loadBefore = loadavg();
    const rows: Row[] = [];
    for (const [i, c] of cases.entries()) {
      process.stderr.write(`[${i + 1}/${cases.length}] ${c.name} …\n`);
      let clientCpu = NaN;
      let serverCpu = NaN;
      const r = await runLoad(c.call, {
        ...options,
        onMeasure: cpuMeter(c.serverPid, (client, server) => {
          clientCpu = client;
          serverCpu = server;
        }),
      });
      if (r.firstError) process.stderr.write(`  ${r.errors} errors, first: ${r.firstError}\n`);
      rows.push({ name: c.name, r, clientCpu, serverCpu });
    }
    console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}; other work on the machine skews every row`);
    console.log("client/server CPU: share of one core used during the measured seconds (100% = a whole core)");
    console.log();
    console.log(table(rows));
  } finally {
    for (const c of clients) c.close();
    await Promise.all(children.map((c) => c.stop()));
    removeDataDir();
  }
}

runBench(main);
