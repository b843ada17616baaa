/**
 * One case of a round (bench/rounds.ts): a probe, a warm-up of about a second,
 * then a count-based run of the warm-up's rate × BENCH_SECONDS calls; the CPU
 * of the server, of the load generator and of everything else over the run;
 * and, for actiond, what its call log says it answered.
 */
import { type CallLog, callsOf, otherCalls } from "./call-log.js";
import { cpuMeter } from "./common.js";
import { type H2loadResult, runH2load, type H2loadOptions } from "./h2load.js";
import { figuresOf, type RoundCase, type Versus } from "./rounds.js";

/** What a load run reports: h2load's result or the lean client's (bench/lean-http1.ts). */
export type LoadRun = Omit<H2loadResult, "latenciesMs"> & {
  /** The load generator is this process (its CPU is cpuMeter's "self", not among the others). */
  inProcess?: boolean;
};

export interface Case {
  name: string;
  /** Calls in flight: sizes the shortest runs. */
  inFlight: number;
  /** A run of `requests` calls. */
  load(requests: number): Promise<LoadRun>;
  serverPid: number;
  /** actiond's call log and the rpc the case calls; a baseline logs nothing, and h2load's statuses are all there is. */
  calls?: { log: CallLog; rpc: string; alsoExpected?: string[] };
  /** One call whose answer is decoded and checked (a Node client), before each run. */
  probe?(): Promise<void>;
  /** Most calls of warm-up and run together, e.g. the records an org keeps, so that every one can be counted. */
  maxRequests?: number;
  /** Checks after the run, given the calls that answered ok; returns problems. */
  after?(ok: number): Promise<string[]>;
}

export interface CaseResult {
  run: LoadRun;
  /** Calls sent, warm-up included, and those actiond logged (h2load's 2xx for a baseline). */
  requested: number;
  answered: number;
  /** Codes other than ok from the call log, and non-2xx statuses from the load generator. */
  notOk: Record<string, number>;
  serverCpu: number;
  loadgenCpu: number;
  othersCpu: number;
  problems: string[];
}

export const h2load = (o: Omit<H2loadOptions, "requests">) => (requests: number) => runH2load({ ...o, requests });

const maxRequests = 2_000_000;

export async function runCase(c: Case, seconds: number, rateGuess: number): Promise<CaseResult> {
  await c.probe?.();
  c.calls?.log.take();
  const cap = c.maxRequests ?? maxRequests;
  const warm = await c.load(Math.min(cap, Math.max(c.inFlight * 4, Math.round(rateGuess))));
  const cpu = { server: NaN, others: NaN };
  const stop = cpuMeter(c.serverPid, (_self, server, others) => Object.assign(cpu, { server, others }))();
  const t0 = performance.now();
  const run = await c.load(Math.max(c.inFlight, Math.min(cap - warm.requests, c.inFlight * 10 + Math.round(warm.rps * seconds))));
  const wall = (performance.now() - t0) / 1_000;
  stop();
  const loadgenCpu = run.cpuSeconds / wall;
  const requested = warm.requests + run.requests;
  const notOk: Record<string, number> = {};
  for (const r of [warm, run]) {
    for (const [group, n] of Object.entries(r.status)) if (group !== "2xx" && n > 0) notOk[`HTTP ${group}`] = (notOk[`HTTP ${group}`] ?? 0) + n;
    if (r.unanswered > 0) notOk["no answer"] = (notOk["no answer"] ?? 0) + r.unanswered;
  }
  const ok2xx = warm.status["2xx"] + run.status["2xx"];
  let answered = ok2xx;
  const problems: string[] = [];
  if (c.calls) {
    const counts = c.calls.log.take();
    const logged = callsOf(counts, c.calls.rpc);
    answered = logged.answered;
    Object.assign(notOk, logged.notOk);
    const others = otherCalls(counts, [c.calls.rpc, ...(c.calls.alsoExpected ?? [])]);
    if (others > 0) problems.push(`${others} calls of other rpcs were logged during the case`);
  }
  if (answered !== requested || Object.keys(notOk).length > 0) {
    problems.push(`${answered} of ${requested} calls answered, not ok: ${JSON.stringify(notOk)}`);
  }
  const okCalls = answered - Object.values(notOk).reduce((a, b) => a + b, 0);
  if (c.after) problems.push(...(await c.after(c.calls ? Math.min(okCalls, ok2xx) : ok2xx)));
  // cpuMeter counts h2load, a child of this process, among the others.
  const othersCpu = Math.max(0, cpu.others - (run.inProcess ? 0 : loadgenCpu));
  return { run, requested, answered, notOk, serverCpu: cpu.server, loadgenCpu, othersCpu, problems };
}

/** `c` as a case of the rounds, read against `versus`. */
export function roundCase(c: Case, seconds: number, versus?: Versus): RoundCase {
  return {
    name: c.name,
    versus,
    async measure(rateGuess) {
      const result = await runCase(c, seconds, rateGuess);
      return { figures: figuresOf(result.run), result };
    },
  };
}
