/**
 * h2load processes run side by side (bench/storage.ts): their counts summed,
 * their latency logs merged, and the CPU of the servers, of PostgreSQL and of
 * h2load read from /proc over the run.
 */
import fs from "node:fs";
import path from "node:path";
import type { PostgresCluster } from "../test/support/postgres-cluster.js";
import { machineBusySeconds, procCpuSeconds } from "./common.js";
import { childrenCpuSeconds, type H2loadOptions, type H2loadResult, runH2load } from "./h2load.js";
import { percentile } from "./load.js";

export interface Measure {
  requests: number;
  status: H2loadResult["status"];
  unanswered: number;
  /** Answered calls ÷ the longest of the processes' runs. */
  rps: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Shares of one core during the run: the actiond nodes, PostgreSQL's processes, h2load, everything else. */
  cpu: { servers: number; postgres: number; h2load: number; others: number };
}

/** The pids of the machine's PostgreSQL processes (postmaster and backends), by their command name. */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (procCpuSeconds(pid) || 0), 0);

/** Runs `lanes` side by side, one h2load process each, and sums them. */
export async function drive(lanes: H2loadOptions[], serverPids: number[]): Promise<Measure> {
  // Backends live as long as the pools' connections; one started during the run counts from its start.
  const pg = postgresPids();
  const before = { servers: cpuOf(serverPids), postgres: cpuOf(pg), h2load: childrenCpuSeconds(), machine: machineBusySeconds(), self: process.cpuUsage() };
  const t0 = performance.now();
  const results = await Promise.all(lanes.map((lane) => runH2load(lane)));
  const wall = (performance.now() - t0) / 1_000;
  const pgAfter = postgresPids();
  const share = (seconds: number) => Math.max(0, seconds) / wall;
  const servers = share(cpuOf(serverPids) - before.servers);
  const postgres = share(cpuOf(pgAfter) - before.postgres);
  const h2load = share(childrenCpuSeconds() - before.h2load);
  const self = process.cpuUsage(before.self);
  const busy = share(machineBusySeconds() - before.machine);
  const others = Math.max(0, busy - servers - postgres - h2load - (self.user + self.system) / 1e6 / wall);
  const sum = (f: (r: H2loadResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const latencies = Float64Array.from(results.flatMap((r) => Array.from(r.latenciesMs))).sort();
  const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
  return {
    requests: sum((r) => r.requests),
    status: {
      "2xx": sum((r) => r.status["2xx"]),
      "3xx": sum((r) => r.status["3xx"]),
      "4xx": sum((r) => r.status["4xx"]),
      "5xx": sum((r) => r.status["5xx"]),
    },
    unanswered: sum((r) => r.unanswered),
    rps: (sum((r) => r.done) / elapsedMs) * 1_000,
    elapsedMs,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpu: { servers, postgres, h2load, others },
  };
}

export interface Measured extends Measure {
  /** PostgreSQL's ERROR lines logged during the run, by message: each a statement the adapter's transaction retried or failed on. */
  pgErrors: Record<string, number>;
}

export interface PgLog {
  during(run: () => Promise<Measure>): Promise<Measured>;
}

/** The cluster's log (pg_ctl -l), read for what it gained during a run. */
export function pgLogOf(cluster: PostgresCluster): PgLog {
  const file = path.join(cluster.dir, "postgres.log");
  const size = () => fs.statSync(file).size;
  return {
    async during(run) {
      const start = size();
      const m = await run();
      // The server writes its log lines as they happen; a short pause lets the last ones land.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const fd = fs.openSync(file, "r");
      const gained = Buffer.alloc(size() - start);
      try {
        fs.readSync(fd, gained, 0, gained.length, start);
      } finally {
        fs.closeSync(fd);
      }
      const pgErrors: Record<string, number> = {};
      for (const [, message] of gained.toString("utf8").matchAll(/ERROR:\s+(.*)/g)) {
        // Keep what names the kind of error; drop the values (keys, ids) that differ per line.
        const kind = message!.replace(/".*?"/g, '"…"').replace(/\(.*?\)/g, "(…)").slice(0, 120);
        pgErrors[kind] = (pgErrors[kind] ?? 0) + 1;
      }
      return { ...m, pgErrors };
    },
  };
}
