import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type EgressRefusal, egressRefusals } from "../egress/index.js";
import type { PoolLoad, PoolMetrics } from "../execution/pool/pool-metrics.js";
import type { Outcome } from "../runtime/index.js";
import type { CallMetrics } from "../transport/call-log.js";
import type { TargetCallMetrics } from "../transport/zitadel-target-route.js";

/**
 * From 0.1 ms (a cached read on the fast path) to 10 s (a trigger near its
 * budget); slower lands in +Inf. Roughly three buckets a decade.
 */
const secondsBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const runOutcomes: (Outcome | "refused")[] = ["succeeded", "failed", "timed_out", "out_of_memory", "refused"];

/** What the server holds now (RunningApp.load). */
export interface ServerLoad {
  connections: number;
  requests: number;
  heldRequestBytes: number;
}

/**
 * Every metric actiond exports (docs/observability.md), behind the narrow
 * interfaces each part reports through; none of them knows prom-client.
 */
export interface Metrics extends CallMetrics, TargetCallMetrics, PoolMetrics {
  /** The app's own registry, not prom-client's global one: several apps in one process (tests) do not collide. */
  readonly registry: Registry;
  egressRefused(reason: EgressRefusal): void;
  /** Reads the pool's load at every scrape. */
  watchPool(load: () => PoolLoad): void;
  /** Reads the server's load at every scrape. */
  watchServer(load: () => ServerLoad): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Process CPU, memory, handles, event loop lag and GC, under their usual names (process_*, nodejs_*).
  collectDefaultMetrics({ register: registry });

  const calls = new Counter({
    name: "actiond_calls_total",
    help: "Calls of the management, execution and ZITADEL target services, by RPC, protocol and result code.",
    labelNames: ["rpc", "protocol", "code"] as const,
    registers,
  });
  const callSeconds = new Histogram({
    name: "actiond_call_duration_seconds",
    help: "How long calls took, from the outermost interceptor (or the refusal) to their result, by RPC and protocol.",
    labelNames: ["rpc", "protocol"] as const,
    buckets: secondsBuckets,
    registers,
  });
  const runs = new Counter({ name: "actiond_action_runs_total", help: "Action runs the worker pool was asked for, by outcome.", labelNames: ["outcome"] as const, registers });
  const runSeconds = new Histogram({ name: "actiond_action_run_duration_seconds", help: "How long action runs took.", buckets: secondsBuckets, registers });
  const replacements = new Counter({
    name: "actiond_pool_worker_replacements_total",
    help: "Worker threads replaced, by cause: the watchdog terminated one past a run's deadline, or one crashed.",
    labelNames: ["cause"] as const,
    registers,
  });
  const egress = new Counter({
    name: "actiond_egress_refusals_total",
    help: "Fetches from actions the egress fetcher refused, by reason.",
    labelNames: ["reason"] as const,
    registers,
  });
  const targetCalls = new Counter({
    name: "actiond_zitadel_target_calls_total",
    help: "Calls from ZITADEL Actions v2 to a ZITADEL target's endpoint, by result (answered, flow-failed, unchanged, or the refusal's reason).",
    labelNames: ["result"] as const,
    registers,
  });
  const targetSeconds = new Histogram({
    name: "actiond_zitadel_target_call_duration_seconds",
    help: "How long calls from ZITADEL to a ZITADEL target's endpoint took.",
    buckets: secondsBuckets,
    registers,
  });
  // Known values start at zero, so a rate is defined before the first one happens.
  for (const outcome of runOutcomes) runs.inc({ outcome }, 0);
  for (const cause of ["watchdog", "crashed"]) replacements.inc({ cause }, 0);
  for (const reason of egressRefusals) egress.inc({ reason }, 0);

  let pool: (() => PoolLoad) | undefined;
  let server: (() => ServerLoad) | undefined;
  const gauge = <T>(name: string, help: string, read: () => (() => T) | undefined, value: (load: T) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const load = read();
        if (load) this.set(value(load()));
      },
    });
  gauge("actiond_pool_queued_runs", "Action runs taken but not started yet.", () => pool, (l) => l.queued);
  gauge("actiond_pool_busy_workers", "Worker threads on a run.", () => pool, (l) => l.busy);
  gauge("actiond_pool_workers", "Worker threads, replacements still loading included.", () => pool, (l) => l.workers);
  gauge("actiond_open_connections", "Open client connections.", () => server, (l) => l.connections);
  gauge("actiond_requests_in_flight", "HTTP/1.1 requests and HTTP/2 streams in flight.", () => server, (l) => l.requests);
  gauge("actiond_request_body_bytes", "Request body bytes held in memory.", () => server, (l) => l.heldRequestBytes);

  return {
    registry,
    observeCall(rpc, protocol, code, seconds) {
      calls.inc({ rpc, protocol, code });
      callSeconds.observe({ rpc, protocol }, seconds);
    },
    runEnded(outcome, durationMs) {
      runs.inc({ outcome });
      runSeconds.observe(durationMs / 1000);
    },
    runRefused: () => runs.inc({ outcome: "refused" }),
    workerReplaced: (cause) => replacements.inc({ cause }),
    egressRefused: (reason) => egress.inc({ reason }),
    observeTargetCall(result, seconds) {
      targetCalls.inc({ result });
      targetSeconds.observe(seconds);
    },
    watchPool: (load) => void (pool = load),
    watchServer: (load) => void (server = load),
  };
}
