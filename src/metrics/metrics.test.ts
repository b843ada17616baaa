import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

/** The samples of the exposition whose line starts with `prefix`, as `line → value`. */
async function samples(text: Promise<string>, prefix: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await text).split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const at = line.lastIndexOf(" ");
    out[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return out;
}

const rpc = "zitadel.management.v1.ManagementService/GetAction";

describe("createMetrics()", () => {
  it("counts calls by RPC, protocol and code, and times them by RPC and protocol in seconds", async () => {
    const m = createMetrics();
    m.observeCall(rpc, "grpc", "ok", 0.0003);
    m.observeCall(rpc, "grpc", "ok", 0.002);
    m.observeCall(rpc, "rest", "NotFound", 12);
    expect(await samples(m.registry.metrics(), "actiond_calls_total")).toEqual({
      [`actiond_calls_total{rpc="${rpc}",protocol="grpc",code="ok"}`]: 2,
      [`actiond_calls_total{rpc="${rpc}",protocol="rest",code="NotFound"}`]: 1,
    });
    const latency = await samples(m.registry.metrics(), "actiond_call_duration_seconds");
    expect(latency).toMatchObject({
      [`actiond_call_duration_seconds_bucket{le="0.0001",rpc="${rpc}",protocol="grpc"}`]: 0,
      [`actiond_call_duration_seconds_bucket{le="0.0005",rpc="${rpc}",protocol="grpc"}`]: 1,
      [`actiond_call_duration_seconds_bucket{le="0.0025",rpc="${rpc}",protocol="grpc"}`]: 2,
      [`actiond_call_duration_seconds_bucket{le="10",rpc="${rpc}",protocol="rest"}`]: 0,
      [`actiond_call_duration_seconds_bucket{le="+Inf",rpc="${rpc}",protocol="rest"}`]: 1,
      [`actiond_call_duration_seconds_count{rpc="${rpc}",protocol="grpc"}`]: 2,
      [`actiond_call_duration_seconds_sum{rpc="${rpc}",protocol="rest"}`]: 12,
    });
  });

  it("starts the counters of known values at zero: run outcomes, replacement causes, egress refusal reasons", async () => {
    const m = createMetrics();
    m.runEnded("failed", 1500);
    m.runRefused();
    m.workerReplaced("watchdog");
    m.egressRefused("address");
    expect(await samples(m.registry.metrics(), "actiond_action_runs_total")).toEqual({
      'actiond_action_runs_total{outcome="succeeded"}': 0,
      'actiond_action_runs_total{outcome="failed"}': 1,
      'actiond_action_runs_total{outcome="timed_out"}': 0,
      'actiond_action_runs_total{outcome="out_of_memory"}': 0,
      'actiond_action_runs_total{outcome="refused"}': 1,
    });
    expect(await samples(m.registry.metrics(), "actiond_action_run_duration_seconds_sum")).toEqual({ actiond_action_run_duration_seconds_sum: 1.5 });
    expect(await samples(m.registry.metrics(), "actiond_pool_worker_replacements_total")).toEqual({
      'actiond_pool_worker_replacements_total{cause="watchdog"}': 1,
      'actiond_pool_worker_replacements_total{cause="crashed"}': 0,
    });
    const egress = await samples(m.registry.metrics(), "actiond_egress_refusals_total");
    expect(egress['actiond_egress_refusals_total{reason="address"}']).toBe(1);
    expect(Object.values(egress).sort()).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("reads the pool's and the server's load at each scrape", async () => {
    const m = createMetrics();
    let queued = 3;
    m.watchPool(() => ({ queued, busy: 2, workers: 4 }));
    m.watchServer(() => ({ connections: 5, requests: 6, heldRequestBytes: 700 }));
    expect(await samples(m.registry.metrics(), "actiond_pool_")).toMatchObject({
      actiond_pool_queued_runs: 3,
      actiond_pool_busy_workers: 2,
      actiond_pool_workers: 4,
    });
    queued = 0;
    expect((await samples(m.registry.metrics(), "actiond_pool_queued_runs")).actiond_pool_queued_runs).toBe(0);
    expect(await samples(m.registry.metrics(), "actiond_")).toMatchObject({
      actiond_open_connections: 5,
      actiond_requests_in_flight: 6,
      actiond_request_body_bytes: 700,
    });
  });

  it("counts ZITADEL target calls by result and keeps each app's metrics apart, with the process's own", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observeTargetCall("answered", 0.01);
    a.observeTargetCall("bad-signature", 0.001);
    expect(await samples(a.registry.metrics(), "actiond_zitadel_target_calls_total")).toEqual({
      'actiond_zitadel_target_calls_total{result="answered"}': 1,
      'actiond_zitadel_target_calls_total{result="bad-signature"}': 1,
    });
    expect(await samples(b.registry.metrics(), "actiond_zitadel_target_calls_total")).toEqual({});
    const text = await b.registry.metrics();
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
