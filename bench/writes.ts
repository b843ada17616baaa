/**
 * `npm run bench:writes`: what a flow write costs on an empty org and on orgs
 * with a long history, driven through the command layer on real SQLite files
 * (the write transaction is where the cost is). Histories: (a) many action
 * writes in the org, (b) many flow writes on the org aggregate. The
 * histories' writes are interleaved round by round, so that other work on the
 * machine skews them alike. Prints the ratios against the 2× target.
 *
 * Env: BENCH_HISTORY_EVENTS (events of history, default 50000), BENCH_WRITES
 * (measured writes per case, default 100).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addAction, removeAction } from "../src/command/action-commands.js";
import { setTriggerActions } from "../src/command/flow-commands.js";
import { type DataDir, openDataDir } from "../src/data-dir.js";
import { createLogger } from "../src/logger.js";
import { envNumber, fmt, formatTable, loadavg, runBench } from "./common.js";
import { type History, historyNames, seed } from "./writes-history.js";

/** Writes before the measured ones; the first is reported alone (on (b) it is the first write after an upgrade). */
const warmup = 5;
const target = 2;

interface Org {
  history: History;
  dir: DataDir;
  caller: Awaited<ReturnType<typeof seed>>["caller"];
  actionIds: [string, string];
}

interface Case {
  name: string;
  /** One write on the org: untimed setup, then the timed call. */
  write(org: Org, round: number): Promise<() => Promise<unknown>>;
}

const cases: Case[] = [
  {
    name: "SetTriggerActions",
    write: async ({ dir, caller, actionIds: [a1, a2] }, round) => () =>
      setTriggerActions(dir.commands, caller, { flowType: "3", triggerType: "1", actionIds: round % 2 ? [a1, a2] : [a2, a1] }),
  },
  {
    name: "DeleteAction, cascading to a flow",
    write: async ({ dir, caller, actionIds: [a1] }, round) => {
      const { id } = await addAction(dir.commands, caller, { name: `doomed_${round}`, script: "", timeoutNs: 0, allowedToFail: false });
      await setTriggerActions(dir.commands, caller, { flowType: "2", triggerType: "4", actionIds: [a1, id] });
      return () => removeAction(dir.commands, caller, id);
    },
  },
];

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mean: samples.reduce((s, x) => s + x, 0) / samples.length };
}

async function main() {
  const events = envNumber("BENCH_HISTORY_EVENTS", 50_000, true);
  const writes = envNumber("BENCH_WRITES", 100, true);
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores, load average ${loadavg()}`);
  console.log(`${events} events of history, ${warmup} warm-up + ${writes} measured writes per case, rounds interleaved across the orgs`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-writes-"));
  const orgs: Org[] = [];
  try {
    for (const history of ["empty", "actions", "flows"] as const) {
      const t0 = performance.now();
      const dir = await openDataDir(path.join(root, history), {}, createLogger("warn"));
      orgs.push({ history, dir, ...(await seed(dir, history, history === "empty" ? 0 : events)) });
      process.stderr.write(`seeded ${historyNames[history]} in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);
    }
    const rows: string[][] = [];
    for (const c of cases) {
      const samples = orgs.map(() => [] as number[]);
      for (let round = 0; round < warmup + writes; round++) {
        for (const [i, org] of orgs.entries()) samples[i]!.push(await timed(await c.write(org, round)));
      }
      const empty = summary(samples[0]!.slice(warmup));
      orgs.forEach((org, i) => {
        const s = summary(samples[i]!.slice(warmup));
        const ratio = s.p50 / empty.p50;
        rows.push([
          `${c.name}, ${historyNames[org.history]}`,
          fmt(samples[i]![0]!, 2),
          fmt(s.p50, 3),
          fmt(s.mean, 3),
          fmt(s.p99, 3),
          `${fmt(ratio, 2)}×`,
          `${fmt(s.mean / empty.mean, 2)}×`,
          org.history === "empty" ? "" : ratio <= target ? "MET" : "NOT MET",
        ]);
      });
    }
    console.log();
    console.log(formatTable(["write, history", "first ms", "p50 ms", "mean ms", "p99 ms", "p50 × empty", "mean × empty", `p50 ≤ ${target}×`], rows));
  } finally {
    for (const org of orgs) await org.dir.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runBench(main);
