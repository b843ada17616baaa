/** The tables bench/zitadel-target.ts prints: medians over rounds, status codes, records, ratios. */
import { fmt, formatTable } from "./common.js";
import type { Reference } from "./bare.js";
import type { H2loadResult } from "./h2load.js";

export type HttpKind = "target" | "runTriggerSame" | "runTriggerEmpty";

export const kindLabels: Record<HttpKind, string> = {
  target: "ZITADEL target, POST /zitadel/v2/targets/{id}",
  runTriggerSame: "RunTrigger REST, the context the target maps",
  runTriggerEmpty: 'RunTrigger REST, {"context":{}}',
};

/** One h2load case of one round: its warm-up and measured runs, and what the records say. */
export interface HttpMeasure {
  warm: H2loadResult;
  run: H2loadResult;
  /** Shares of one core during the measured run. */
  serverCpu: number;
  loadgenCpu: number;
  /** Every other process of the machine: other work skews the row. */
  othersCpu: number;
  /** Records the case should have added (2xx answers of both runs) and the ones that appeared. */
  records: { expected: number; all: number; succeeded: number };
  problems: string[];
}

export interface Round {
  http: Map<string, HttpMeasure>;
  /** Bare QuickJS in this process (bench/bare.ts). */
  bare: Reference;
}

export interface Report {
  inFlight: number[];
  kinds: HttpKind[];
  rounds: Round[];
}

export const caseKey = (kind: HttpKind, inFlight: number) => `${kind}@${inFlight}`;

export function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

const ms = (n: number) => fmt(n, 3);
const cpu = (share: number) => `${fmt(share * 100, 0)}%`;
const perSecond = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");

function statusLine(ms: HttpMeasure[]): string {
  const sum = (pick: (h: H2loadResult) => number) => ms.reduce((a, m) => a + pick(m.warm) + pick(m.run), 0);
  const unanswered = sum((h) => h.unanswered);
  return `${sum((h) => h.status["2xx"])} 2xx, ${sum((h) => h.status["3xx"])} 3xx, ${sum((h) => h.status["4xx"])} 4xx, ${sum((h) => h.status["5xx"])} 5xx` +
    (unanswered > 0 ? `, ${unanswered} unanswered` : "");
}

function recordsLine(ms: HttpMeasure[]): string {
  const expected = ms.reduce((a, m) => a + m.records.expected, 0);
  const all = ms.reduce((a, m) => a + m.records.all, 0);
  const succeeded = ms.reduce((a, m) => a + m.records.succeeded, 0);
  return all === expected && succeeded === expected ? `${all} = 2xx` : `${all} (${succeeded} succeeded) ≠ ${expected} 2xx`;
}

export function formatReport(x: Report): string {
  const measures = (key: string) => x.rounds.flatMap((r) => (r.http.has(key) ? [r.http.get(key)!] : []));
  const rows: string[][] = [];
  for (const c of x.inFlight) {
    for (const kind of x.kinds) {
      const m = measures(caseKey(kind, c));
      if (m.length === 0) continue;
      rows.push([
        kindLabels[kind],
        String(c),
        perSecond(median(m.map((r) => r.run.rps))),
        m.map((r) => perSecond(r.run.rps)).join(" / "),
        ms(median(m.map((r) => r.run.p50Ms))),
        ms(median(m.map((r) => r.run.p99Ms))),
        cpu(median(m.map((r) => r.serverCpu))),
        cpu(median(m.map((r) => r.loadgenCpu))),
        cpu(median(m.map((r) => r.othersCpu))),
        statusLine(m),
        recordsLine(m),
      ]);
    }
  }
  const bare = x.rounds.map((r) => r.bare.r);
  rows.push([
    "bare QuickJS, in process, 1 at a time",
    "1",
    perSecond(median(bare.map((b) => b.perSecond))),
    bare.map((b) => perSecond(b.perSecond)).join(" / "),
    ms(median(bare.map((b) => b.p50Ms))),
    ms(median(bare.map((b) => b.p99Ms))),
    "–",
    "–",
    cpu(median(x.rounds.map((r) => r.bare.othersCpu))),
    "–",
    "–",
  ]);
  const cases = formatTable(
    ["case (medians over rounds)", "in flight", "calls/s", "each round", "p50 ms", "p99 ms", "server CPU", "h2load CPU", "others CPU", "status codes (all runs)", "records"],
    rows,
  );

  // A ratio per round, then the median: both sides of a ratio ran minutes apart at most, so drift mostly cancels.
  const ratio = (kind: HttpKind, c: number, over: (r: Round) => number) =>
    median(x.rounds.map((r) => (r.http.get(caseKey(kind, c))?.run.rps ?? NaN) / over(r)));
  const ratioRows = x.kinds.includes("target")
    ? x.inFlight.map((c) => [
        String(c),
        fmt(ratio("target", c, (r) => r.http.get(caseKey("runTriggerEmpty", c))?.run.rps ?? NaN), 2),
        fmt(ratio("target", c, (r) => r.http.get(caseKey("runTriggerSame", c))?.run.rps ?? NaN), 2),
        fmt(ratio("target", c, (r) => r.bare.r.perSecond), 2),
      ])
    : [];
  const ratios = formatTable(["in flight", 'target ÷ RunTrigger {"context":{}}', "target ÷ RunTrigger same context", "target ÷ bare"], ratioRows);
  const p50 = (kind: HttpKind) => ms(median(measures(caseKey(kind, 1)).map((r) => r.run.p50Ms)));
  const p50s = x.inFlight.includes(1)
    ? `p50 at 1 in flight: target ${p50("target")} ms, RunTrigger (same context) ${p50("runTriggerSame")} ms, ` +
      `RunTrigger ({}) ${p50("runTriggerEmpty")} ms, bare ${ms(median(bare.map((b) => b.p50Ms)))} ms`
    : "";
  return [cases, "", "throughput ratios (median of the per-round ratios):", "", ratios, "", p50s].join("\n");
}
