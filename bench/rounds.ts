/**
 * Cases interleaved in rounds, every second round in reverse order, and the
 * table of their medians. The machine's speed drifts within minutes, so a
 * case and its reference are measured within the same round, and a ratio is
 * the median of the per-round ratios: drift mostly cancels.
 */
import type { CaseResult } from "./case-run.js";
import { fmt, formatTable } from "./common.js";

export interface Figures {
  /** Calls (or runs) per second. */
  rate: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Measured {
  figures: Figures;
  /** Counts and CPU, for a case run with a load generator (bench/case-run.ts). */
  result?: CaseResult;
}

/** How a case is read against another case of the same rounds, and its target, if it has one. */
export interface Versus {
  ref: string;
  /** rate: calls/s ÷ the ref's; mean, p99: ÷ the ref's; "mean − p50": the case's mean minus the ref's p50, in ms. */
  kind: "rate" | "mean" | "p99" | "mean − p50";
  target?: { op: "≥" | "≤"; bound: number };
}

export interface RoundCase {
  name: string;
  versus?: Versus;
  /** One measurement; `rateGuess` is this case's rate in the last round (a start value in the first). */
  measure(rateGuess: number): Promise<Measured>;
}

export const figuresOf = (r: { rps: number; meanMs: number; p50Ms: number; p99Ms: number }): Figures => ({ rate: r.rps, meanMs: r.meanMs, p50Ms: r.p50Ms, p99Ms: r.p99Ms });

export async function inRounds(cases: RoundCase[], rounds: number, say: (line: string) => void): Promise<Map<string, Measured[]>> {
  const results = new Map<string, Measured[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) {
      say(`round ${round + 1}/${rounds}: ${c.name}`);
      const past = results.get(c.name)!;
      past.push(await c.measure(past.at(-1)?.figures.rate ?? 1_000));
    }
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function versusValue(kind: Versus["kind"], c: Figures, r: Figures): number {
  if (kind === "rate") return c.rate / r.rate;
  if (kind === "mean") return c.meanMs / r.meanMs;
  if (kind === "p99") return c.p99Ms / r.p99Ms;
  return c.meanMs - r.p50Ms;
}

const shown = (kind: Versus["kind"], v: number) => (kind === "mean − p50" ? `${v >= 0 ? "+" : ""}${fmt(v, 3)} ms` : `${fmt(v, 2)}×`);

/** The median of the per-round values of `c` against its reference; each round's value. */
export function versusOf(results: Map<string, Measured[]>, name: string, v: Versus): { value: number; each: number[]; met?: boolean } {
  const mine = results.get(name) ?? [];
  const refs = results.get(v.ref) ?? [];
  const each = mine.map((m, i) => (refs[i] ? versusValue(v.kind, m.figures, refs[i]!.figures) : NaN));
  const value = median(each);
  const met = v.target && (v.target.op === "≥" ? value >= v.target.bound : value <= v.target.bound);
  return { value, each, met };
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const pct = (share: number) => `${fmt(share * 100, 0)}%`;

/** One row per case: medians of its rounds, its reference and target, and the calls of all its rounds. */
export function formatRounds(cases: RoundCase[], results: Map<string, Measured[]>): string {
  const number = new Map(cases.map((c, i) => [c.name, `#${i + 1}`]));
  const body = cases.map((c) => {
    const ms = results.get(c.name) ?? [];
    const m = (f: (x: Figures) => number) => median(ms.map((x) => f(x.figures)));
    const rs = ms.flatMap((x) => (x.result ? [x.result] : []));
    const v = c.versus && versusOf(results, c.name, c.versus);
    const notOk: Record<string, number> = {};
    for (const r of rs) for (const [k, n] of Object.entries(r.notOk)) notOk[k] = (notOk[k] ?? 0) + n;
    const sum = (f: (r: CaseResult) => number) => rs.reduce((a, r) => a + f(r), 0);
    return [
      `${number.get(c.name)} ${c.name}`,
      int(m((x) => x.rate)),
      fmt(m((x) => x.meanMs), 3),
      fmt(m((x) => x.p50Ms), 3),
      fmt(m((x) => x.p99Ms), 2),
      c.versus && v ? `${shown(c.versus.kind, v.value)} ${c.versus.kind === "mean − p50" ? "mean − p50 of" : c.versus.kind + " of"} ${number.get(c.versus.ref) ?? c.versus.ref}` : "",
      c.versus?.target ? `${c.versus.target.op} ${shown(c.versus.kind, c.versus.target.bound)}` : c.versus ? "info" : "",
      v?.met === undefined ? "" : v.met ? "MET" : "NOT MET",
      rs.length ? `${int(sum((r) => r.answered))}/${int(sum((r) => r.requested))}` : "",
      rs.length ? Object.entries(notOk).map(([k, n]) => `${n} ${k}`).join(", ") || "none" : "",
      rs.length ? pct(median(rs.map((r) => r.loadgenCpu))) : "",
      rs.length ? pct(median(rs.map((r) => r.serverCpu))) : "",
      rs.length ? pct(median(rs.map((r) => r.othersCpu))) : "",
    ];
  });
  const head = ["case", "calls/s", "mean ms", "p50 ms", "p99 ms", "vs its reference (median of rounds)", "target", "verdict", "answered/requested", "not ok", "load gen CPU", "server CPU", "others CPU"];
  return formatTable(head, body);
}

/** Each round's value of every row with a reference, to show how far it moved within the run. */
export function formatEachRound(cases: RoundCase[], results: Map<string, Measured[]>): string {
  const rows = cases.flatMap((c) => (c.versus ? [[c.name, versusOf(results, c.name, c.versus).each.map((x) => shown(c.versus!.kind, x)).join(", ")]] : []));
  return formatTable(["case", "against its reference, each round"], rows);
}

/** Problems of every case's rounds, prefixed with the case. */
export function problemsOf(results: Map<string, Measured[]>): string[] {
  return [...results].flatMap(([name, ms]) => ms.flatMap((m, i) => (m.result?.problems ?? []).map((p) => `${name}, round ${i + 1}: ${p}`)));
}
