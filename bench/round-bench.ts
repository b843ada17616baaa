/**
 * What the round benches (api, execute, secrets) share: the start (h2load,
 * their settings, a temp dir removed at exit, a header naming the machine)
 * and the end (the round tables, what the stores logged, and a failure when
 * any case had a problem).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { envNumber, loadavg } from "./common.js";
import { ensureH2load } from "./h2load.js";
import { formatEachRound, formatRounds, type Measured, problemsOf, type RoundCase } from "./rounds.js";
import { type Store, warningsOf } from "./stores.js";

export interface RoundBench {
  seconds: number;
  rounds: number;
  dir: string;
  loadBefore: string;
}

/** Env BENCH_SECONDS (default 5) and BENCH_ROUNDS (3). */
export function startRoundBench(name: string): RoundBench {
  ensureH2load((line) => process.stderr.write(line + "\n"));
  const seconds = envNumber("BENCH_SECONDS", 5, false);
  const rounds = envNumber("BENCH_ROUNDS", 3, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `actiond-bench-${name}-`));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const loadBefore = loadavg();
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}); loopback only`);
  console.log(
    `${rounds} rounds, cases interleaved (every second round reversed); per case about 1 s of warm-up, then a run of the warm-up's rate × ${seconds} s calls (h2load -n)`,
  );
  return { seconds, rounds, dir, loadBefore };
}

/** The round tables, then `more` (other tables), what the stores logged, and a thrown failure listing every problem. */
export function reportRounds(cases: RoundCase[], results: Map<string, Measured[]>, stores: Store[], more: { text?: string; problems?: string[] } = {}): void {
  console.log();
  console.log(formatRounds(cases, results));
  console.log();
  console.log(formatEachRound(cases, results));
  if (more.text) {
    console.log();
    console.log(more.text);
  }
  for (const s of stores) for (const w of warningsOf(s)) console.log(`${s.label} logged: ${w.slice(0, 300)}`);
  const problems = [...problemsOf(results), ...(more.problems ?? [])];
  if (problems.length > 0) {
    console.log("\nFAILED:");
    for (const p of problems) console.log(`- ${p}`);
    throw new Error(`${problems.length} problem(s), listed above`);
  }
}
