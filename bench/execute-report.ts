/** The tables bench/execute.ts prints: in-process references, gRPC cases, targets. */
import type { LoopResult } from "./bare.js";
import { fmt, formatTable } from "./common.js";
import type { LoadResult } from "./load.js";

export interface Measured {
  r: LoadResult;
  clientCpu: number;
  serverCpu: number;
  /** CPU of every other process of the machine (other work skews the row). */
  othersCpu: number;
}

export interface Reference {
  r: LoopResult;
  othersCpu: number;
}

/** One call measured at BENCH_CONCURRENCY in flight and at 1, with each client. */
export interface ByClient {
  /** bench/lean-grpc.ts: leaves the machine to the server; the targets are read on it. */
  lean: { many: Measured; one: Measured };
  /** @grpc/grpc-js, decoding every answer: what a full Node client sees. */
  grpcJs: { many: Measured; one: Measured };
}

export interface ServerRun {
  label: string;
  workers: number;
  orgConcurrency: number;
  runTrigger: ByClient;
  idle: Measured;
  busy: Measured;
  spin: { calls: number; outcomes: string; meanMs: number };
}

/** The worker pool alone, without RPC: see bench/pool.ts. */
export interface PoolRun {
  workers: number;
  inFlight: number;
  r: LoopResult;
}

export interface Report {
  pool: PoolRun[];
  concurrency: number;
  apiConcurrency: number;
  spinners: number;
  bare: Reference;
  inThread: Reference;
  /** Plain grpc-js Health/Check server: what the transport alone costs on this machine. */
  floor: ByClient;
  runs: ServerRun[];
}

const ms = (n: number) => fmt(n, 3);
const cpu = (share: number) => `${fmt(share * 100, 0)}%`;
const verdict = (met: boolean) => (met ? "MET" : "NOT MET");

export function formatReport(x: Report): string {
  const refs = formatTable(
    ["in-process reference (this thread, 1 at a time)", "executions/s", "p50 ms", "p99 ms", "others CPU"],
    [
      ["bare quickjs (quickjs-emscripten + quickjs-ng release sync)", x.bare] as const,
      ["runAction in-thread (src/runtime)", x.inThread] as const,
    ].map(([name, { r, othersCpu }]) => [name, fmt(r.perSecond, 0), ms(r.p50Ms), ms(r.p99Ms), cpu(othersCpu)]),
  );
  const pool = formatTable(
    ["worker pool alone (this process, no RPC)", "runs/s", "p50 ms", "p99 ms", "× bare"],
    x.pool.map((p) => [
      `${p.workers} worker(s), ${p.inFlight} in flight`,
      fmt(p.r.perSecond, 0),
      ms(p.r.p50Ms),
      ms(p.r.p99Ms),
      fmt(p.r.perSecond / x.bare.r.perSecond, 2),
    ]),
  );
  const byClient = (label: string, m: ByClient) =>
    [
      [`${label}, lean client, ${x.concurrency} in flight`, m.lean.many],
      [`${label}, lean client, 1 in flight`, m.lean.one],
      [`${label}, grpc-js client, ${x.concurrency} in flight`, m.grpcJs.many],
      [`${label}, grpc-js client, 1 in flight`, m.grpcJs.one],
    ] as const;
  const rows: (readonly [string, Measured])[] = [
    ...byClient("transport floor: plain grpc-js server, Health/Check", x.floor),
    ...x.runs.flatMap((s) => [
      ...byClient(`${s.label}: RunTrigger`, s.runTrigger),
      [`${s.label}: GetAction, grpc-js client, ${x.apiConcurrency} in flight, idle`, s.idle] as const,
      [`${s.label}: GetAction, grpc-js client, ${x.apiConcurrency} in flight, ${x.spinners} spinning`, s.busy] as const,
    ]),
  ];
  const grpc = formatTable(
    ["over gRPC (h2c, loopback)", "RPS", "p50 ms", "p99 ms", "errors", "client CPU", "server CPU", "others CPU"],
    rows.map(([name, m]) => [
      name + (m.r.incomplete ? " (calls hung)" : ""),
      fmt(m.r.rps, 0),
      ms(m.r.p50Ms),
      ms(m.r.p99Ms),
      String(m.r.errors),
      cpu(m.clientCpu),
      cpu(m.serverCpu),
      cpu(m.othersCpu),
    ]),
  );
  const single = x.pool.find((p) => p.inFlight === 1);
  const poolNotes = [
    ...x.pool
      .filter((p) => p.inFlight > 1)
      .map((p) => `worker pool alone, ${p.workers} worker(s): ${fmt(p.r.perSecond / x.bare.r.perSecond, 2)}× bare throughput (the RunTrigger target is ≥ 0.80)`),
    ...(single ? [`worker pool alone, 1 in flight: p50 overhead over bare = ${ms(single.r.p50Ms - x.bare.r.p50Ms)} ms (the RunTrigger target is ≤ 0.300)`] : []),
  ];
  const notes = x.runs.flatMap((s) => [
    `${s.label}: ${s.workers} worker(s), org concurrency ${s.orgConcurrency}; the spinning RunTrigger calls answered ` +
      `${s.spin.outcomes}, mean ${fmt(s.spin.meanMs, 0)} ms per call`,
    `${s.label}: lean RunTrigger c=1 p50 − (lean transport floor c=1 p50 + bare p50) = ` +
      `${ms(s.runTrigger.lean.one.r.p50Ms - x.floor.lean.one.r.p50Ms - x.bare.r.p50Ms)} ms: what actiond adds beyond one network round trip and the run itself (for reading, not a target)`,
  ]);
  const bare = x.bare.r;
  const targets = formatTable(
    ["target", "server, client", "measured", "target", "verdict"],
    x.runs.flatMap((s) => {
      const rows: string[][] = [];
      for (const [client, m] of [["lean", s.runTrigger.lean], ["grpc-js", s.runTrigger.grpcJs]] as const) {
        const ratio = m.many.r.rps / bare.perSecond;
        const overhead = m.one.r.p50Ms - bare.p50Ms;
        rows.push(
          ["RunTrigger RPS / bare executions/s", `${s.label}, ${client}`, `${fmt(m.many.r.rps, 0)} / ${fmt(bare.perSecond, 0)} = ${fmt(ratio, 2)}`, "≥ 0.80", verdict(ratio >= 0.8)],
          ["p50 overhead: RunTrigger c=1 − bare", `${s.label}, ${client}`, `${ms(m.one.r.p50Ms)} − ${ms(bare.p50Ms)} = ${ms(overhead)} ms`, "≤ 0.300 ms", verdict(overhead <= 0.3)],
        );
      }
      const busy = s.busy.r.p99Ms / s.idle.r.p99Ms;
      rows.push(["API p99 busy / idle", `${s.label}, grpc-js`, `${ms(s.busy.r.p99Ms)} / ${ms(s.idle.r.p99Ms)} = ${fmt(busy, 2)}`, "≤ 2.00", verdict(busy <= 2)]);
      return rows;
    }),
  );
  return [refs, "", pool, "", ...poolNotes, "", grpc, "", ...notes, "", targets].join("\n");
}
