/**
 * `npm run bench:secrets`: the secrets cases of bench/execute.ts alone, a few
 * minutes shorter than the whole bench. RunTrigger over gRPC (h2load) at 64
 * in flight and at 1, in an org with no secrets and in the same org holding
 * 100 secrets of 4 KiB (bench/org-secrets.ts), each read against the other in
 * the same round; bare QuickJS runs too, as the reference of the RunTrigger
 * rows without secrets. Codes come from actiond's call log and every ok answer
 * must have left its record, as in bench/execute.ts.
 *
 * Env: BENCH_SECONDS (default 5), BENCH_ROUNDS (3), BENCH_STORES ("sqlite,postgres").
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { envNumber, loadavg, runBench } from "./common.js";
import { type ExecStore, inProcessCases, runTriggerCases, script, secretsCases, setUpStore } from "./execute-cases.js";
import { ensureH2load } from "./h2load.js";
import { formatEachRound, formatRounds, inRounds, problemsOf } from "./rounds.js";
import { startStores, warningsOf } from "./stores.js";

const say = (line: string) => process.stderr.write(`${line} …\n`);

async function main() {
  ensureH2load((line) => process.stderr.write(line + "\n"));
  const seconds = envNumber("BENCH_SECONDS", 5, false);
  const rounds = envNumber("BENCH_ROUNDS", 3, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-secrets-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const loadBefore = loadavg();
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}); loopback only`);
  console.log(`action on flow 2 / trigger 5: ${script}; actiond with default settings`);
  console.log(`${rounds} rounds, cases interleaved (every second round reversed); per case about 1 s of warm-up, then the warm-up's rate × ${seconds} s calls`);
  const { stores, skipped, stop } = await startStores(dir, "bench_secrets", say);
  try {
    const execStores: ExecStore[] = [];
    for (const s of stores) execStores.push(await setUpStore(s, dir));
    // Only bare QuickJS of the in-process references: the RunTrigger rows without secrets are read against it.
    const [bare] = await inProcessCases(seconds);
    const cases = [bare!, ...execStores.flatMap((s) => [...runTriggerCases(s, seconds), ...secretsCases(s, seconds)])];
    const results = await inRounds(cases, rounds, say);

    console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}`);
    console.log("answered: calls in actiond's call log (its own count, with its codes); CPU: share of one core during the measured run; load gen is h2load");
    if (skipped) console.log(`PostgreSQL skipped: ${skipped}`);
    console.log();
    console.log(formatRounds(cases, results));
    console.log();
    console.log(formatEachRound(cases, results));
    for (const s of stores) for (const w of warningsOf(s)) console.log(`${s.label} logged: ${w.slice(0, 300)}`);
    const problems = problemsOf(results);
    if (problems.length > 0) {
      console.log("\nFAILED:");
      for (const p of problems) console.log(`- ${p}`);
      throw new Error(`${problems.length} problem(s), listed above`);
    }
  } finally {
    await stop();
  }
}

runBench(main);
