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

function envNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}: expected a positive ${integer ? "integer" : "number"}, got "${raw}"`);
  }
  return value;
}

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

/** CPU seconds (user + system) of a process, from /proc (Linux; USER_HZ 100); NaN elsewhere. */
function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

const PLAIN = "baseline: plain grpc-js server, Health/Check (grpc-js)";
const HEALTH = "baseline: actiond Health/Check (grpc-js)";

function table(rows: Row[]): string {
  const plain = rows.find((x) => x.name === PLAIN)?.r.rps ?? NaN;
  const health = rows.find((x) => x.name === HEALTH)?.r.rps ?? NaN;
  const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
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
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`;
  return [line(head), rule, ...body.map(line)].join("\n");
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
        onMeasure: () => {
          const t0 = performance.now();
          const client0 = process.cpuUsage();
          const server0 = procCpuSeconds(c.serverPid);
          return () => {
            const wall = (performance.now() - t0) / 1000;
            const client = process.cpuUsage(client0);
            clientCpu = (client.user + client.system) / 1e6 / wall;
            serverCpu = (procCpuSeconds(c.serverPid) - server0) / wall;
          };
        },
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

const interrupted = (signal: NodeJS.Signals) => {
  process.stderr.write(`\n${signal}: stopping\n`);
  process.exit(130); // the exit hook in children.ts kills the server children
};
process.once("SIGINT", interrupted);
process.once("SIGTERM", interrupted);

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
