/**
 * `npm run bench:execute`: what running an action through actiond costs, against
 * running the same script bare in this process, measured in the same run.
 *
 * The action is `function t(ctx, api) { api.v1.claims.setClaim("k", "v") }` on
 * flow 2 / trigger 5, on actiond with default settings, on SQLite and (when
 * installed) PostgreSQL side by side. In rounds (bench/rounds.ts):
 *   - bare QuickJS in this process, one run at a time (bench/bare.ts), the
 *     reference; runAction in this thread and the worker pool alone, for information;
 *   - RunTrigger over gRPC from h2load, at 64 in flight (-c4 -m16) and at 1;
 *     each ok answer must have left one record whose action succeeded;
 *   - GetAction at 8 in flight (h2load), idle and while two RunTrigger calls
 *     keep an action spinning to its 2 s deadline (bench/spinners.ts).
 * Then BENCH_RSS_RUNS RunTriggers per store, for the server's memory (bench/execute-rss.ts).
 * Codes come from actiond's call log (bench/call-log.ts). Prints only; a call not
 * answered ok or a missing record is listed under FAILED and makes the exit code 1.
 *
 * Env: BENCH_SECONDS (measured seconds per case after about 1 s of warm-up, default 5),
 * BENCH_ROUNDS (3), BENCH_RSS_RUNS (100000), BENCH_STORES ("sqlite,postgres").
 */
import { envNumber, loadavg, runBench } from "./common.js";
import { apiInFlight, type ExecStore, inProcessCases, script, setUpStore, spinnerCount, spinTimeoutSeconds, storeCases } from "./execute-cases.js";
import { formatRss, measureRss, type RssRun } from "./execute-rss.js";
import { reportRounds, startRoundBench } from "./round-bench.js";
import { inRounds } from "./rounds.js";
import { startStores } from "./stores.js";

const say = (line: string) => process.stderr.write(`${line} …\n`);

async function main() {
  const rssRuns = envNumber("BENCH_RSS_RUNS", 100_000, true);
  const { seconds, rounds, dir, loadBefore } = startRoundBench("execute");
  console.log(`action on flow 2 / trigger 5: ${script}; actiond with default settings`);
  const { stores, skipped, stop } = await startStores(dir, "bench_execute", say);
  try {
    const execStores: ExecStore[] = [];
    for (const s of stores) execStores.push(await setUpStore(s, dir));
    const workers = stores.map((s) => `${s.label} ${s.node.child.info.workers} worker(s), org concurrency ${s.node.child.info.orgConcurrency}`).join("; ");
    const cases = [...(await inProcessCases(seconds)), ...execStores.flatMap((s) => storeCases(s, seconds))];
    const results = await inRounds(cases, rounds, say);
    const rss: RssRun[] = [];
    for (const s of execStores) rss.push(await measureRss(s, rssRuns, say));

    console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}; ${workers}`);
    console.log("answered: calls in actiond's call log (its own count, with its codes); CPU: share of one core during the measured run; load gen is h2load");
    console.log(`busy: ${spinnerCount} RunTrigger calls on flow 2 / trigger 4 keep an action spinning to its ${spinTimeoutSeconds} s deadline while GetAction runs at ${apiInFlight} in flight`);
    if (skipped) console.log(`PostgreSQL skipped: ${skipped}`);
    reportRounds(cases, results, stores, { text: formatRss(rss), problems: rss.flatMap((r) => r.problems) });
  } finally {
    await stop();
  }
}

runBench(main);
