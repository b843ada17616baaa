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
import { loadavg, runBench } from "./common.js";
import { type ExecStore, inProcessCases, runTriggerCases, script, secretsCases, setUpStore } from "./execute-cases.js";
import { reportRounds, startRoundBench } from "./round-bench.js";
import { inRounds } from "./rounds.js";
import { startStores } from "./stores.js";

const say = (line: string) => process.stderr.write(`${line} …\n`);

async function main() {
  const { seconds, rounds, dir, loadBefore } = startRoundBench("secrets");
  console.log(`action on flow 2 / trigger 5: ${script}; actiond with default settings`);
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
    reportRounds(cases, results, stores);
  } finally {
    await stop();
  }
}

runBench(main);
