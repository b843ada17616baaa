/**
 * Whether actiond's memory levels off under RunTrigger: BENCH_RSS_RUNS calls
 * (default 100,000) through h2load, in chunks of at most what the org keeps of
 * records, so that after each chunk every one of its records can be counted
 * (--execution-max-per-org, default 10,000: older ones are dropped as new ones
 * are written). VmRSS of the server child is read after the first tenth of the
 * calls and after the last; the target is the last ≤ 1.1× the first.
 */
import fs from "node:fs";
import { callsOf } from "./call-log.js";
import { fmt, formatTable } from "./common.js";
import { runTriggerPath, type ExecStore, probeRunTrigger } from "./execute-cases.js";
import { grpcHeaders } from "./api-answers.js";
import { runH2load } from "./h2load.js";
import { countRecords, recordsFromNow } from "./records.js";

export interface RssRun {
  label: string;
  calls: number;
  /** Calls at the first reading (a tenth of them), and the two readings in KiB. */
  firstAt: number;
  firstKiB: number;
  lastKiB: number;
  rate: number;
  answeredOk: number;
  records: number;
  notOk: Record<string, number>;
  problems: string[];
}

export function vmRssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

export async function measureRss(s: ExecStore, calls: number, say: (line: string) => void): Promise<RssRun> {
  const { node, d, callLog, label } = s.store;
  const firstAt = Math.max(1, Math.round(calls / 10));
  const chunk = Math.min(node.child.info.executionMaxPerOrg ?? 10_000, firstAt);
  const run: RssRun = { label, calls, firstAt, firstKiB: NaN, lastKiB: NaN, rate: NaN, answeredOk: 0, records: 0, notOk: {}, problems: [] };
  await probeRunTrigger(s);
  callLog.take();
  let elapsedMs = 0;
  for (let done = 0; done < calls; ) {
    const n = Math.min(chunk, calls - done);
    say(`${label}: RSS, RunTrigger ${done + 1}–${done + n} of ${calls}`);
    const since = await recordsFromNow();
    const h = await runH2load({
      url: node.baseUrl + runTriggerPath,
      clients: 4,
      streams: 16,
      requests: n,
      bodyFile: s.runBody,
      headers: { ...grpcHeaders, authorization: `Bearer ${d.token}` },
    });
    elapsedMs += h.elapsedMs;
    done += n;
    const logged = callsOf(callLog.take(), "actiond.v1.ExecutionService/RunTrigger");
    const notOk = Object.values(logged.notOk).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries(logged.notOk)) run.notOk[k] = (run.notOk[k] ?? 0) + v;
    if (h.status["2xx"] !== n) run.notOk["non-2xx or no answer"] = (run.notOk["non-2xx or no answer"] ?? 0) + n - h.status["2xx"];
    const ok = Math.min(logged.answered - notOk, h.status["2xx"]);
    run.answeredOk += ok;
    const records = await countRecords(node.baseUrl, d.token, { flowType: "2", triggerType: "5", since, actionId: s.actionId });
    run.records += records.succeeded;
    if (records.all !== ok || records.succeeded !== ok) run.problems.push(`${label}: calls ${done - n + 1}–${done}: ${ok} answered ok, ${records.all} records (${records.succeeded} succeeded)`);
    if (done === firstAt || (done > firstAt && Number.isNaN(run.firstKiB))) run.firstKiB = vmRssKiB(node.child.pid);
  }
  run.lastKiB = vmRssKiB(node.child.pid);
  run.rate = (calls / elapsedMs) * 1_000;
  if (run.answeredOk !== calls) run.problems.push(`${label}: ${run.answeredOk} of ${calls} RunTrigger calls answered ok: ${JSON.stringify(run.notOk)}`);
  return run;
}

const mib = (kib: number) => fmt(kib / 1024, 1);

export function formatRss(runs: RssRun[]): string {
  return formatTable(
    ["RunTrigger, gRPC, 64 in flight", "calls", "calls/s", "VmRSS MiB, first tenth", "VmRSS MiB, end", "end ÷ first", "target", "verdict", "answered ok / records"],
    runs.map((r) => {
      const ratio = r.lastKiB / r.firstKiB;
      return [
        r.label,
        r.calls.toLocaleString("en-US"),
        Math.round(r.rate).toLocaleString("en-US"),
        `${mib(r.firstKiB)} (after ${r.firstAt.toLocaleString("en-US")})`,
        mib(r.lastKiB),
        `${fmt(ratio, 2)}×`,
        "≤ 1.10×",
        ratio <= 1.1 ? "MET" : "NOT MET",
        `${r.answeredOk.toLocaleString("en-US")} / ${r.records.toLocaleString("en-US")}`,
      ];
    }),
  );
}
