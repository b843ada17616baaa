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
}

const PLAIN = "baseline: plain grpc-js server, Health/Check (grpc-js)";
const HEALTH = "baseline: actiond Health/Check (grpc-js)";

function table(rows: { name: string; r: LoadResult }[]): string {
  const plain = rows.find((x) => x.name === PLAIN)?.r.rps ?? NaN;
  const health = rows.find((x) => x.name === HEALTH)?.r.rps ?? NaN;
  const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
  const head = ["case", "RPS", "p50 ms", "p99 ms", "× plain grpc-js", "× actiond health", "errors"];
  const body = rows.map(({ name, r }) => [
    name + (r.incomplete ? " (calls hung)" : ""),
    Math.round(r.rps).toLocaleString("en-US"),
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
    fmt(r.rps / plain, 2),
    fmt(r.rps / health, 2),
    String(r.errors),
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
    const cases: Case[] = [
      { name: PLAIN, call: plainHealth.call },
      { name: HEALTH, call: actiondHealth.call },
      ...protocols.map((p) => ({ name: `GetAction    ${p.protocol}`, call: () => p.getAction(created.id) })),
      ...protocols.map((p, i) => {
        let n = 0;
        return { name: `CreateAction ${p.protocol}`, call: () => p.createAction(`bench_p${i}_${n++}`) };
      }),
    ];

    const rows: { name: string; r: LoadResult }[] = [];
    for (const [i, c] of cases.entries()) {
      process.stderr.write(`[${i + 1}/${cases.length}] ${c.name} …\n`);
      const r = await runLoad(c.call, options);
      if (r.firstError) process.stderr.write(`  ${r.errors} errors, first: ${r.firstError}\n`);
      rows.push({ name: c.name, r });
    }
    console.log();
    console.log(table(rows));
  } finally {
    for (const c of clients) c.close();
    await Promise.all(children.map((c) => c.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
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
