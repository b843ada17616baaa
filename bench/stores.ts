/**
 * One actiond child per store, side by side for the same rounds: SQLite (the
 * default) and, when PostgreSQL's server programs are installed, a fresh
 * database in a throwaway cluster. Each child runs at the default log level
 * with its stderr in a file, whose call lines the cases count (bench/call-log.ts).
 *
 * Env: BENCH_STORES (default "sqlite,postgres").
 */
import fs from "node:fs";
import path from "node:path";
import type { PostgresCluster } from "../test/support/postgres-cluster.js";
import { type CallLog, openCallLog } from "./call-log.js";
import { deploy, type Deployment, type Engine, type Node, postgresIfInstalled } from "./deploy.js";

export interface Store {
  label: "SQLite" | "PostgreSQL";
  d: Deployment;
  node: Node;
  callLog: CallLog;
  /** Log lines that are not call lines (warnings, errors), read when the store stops. */
  logFile: string;
}

export interface Stores {
  stores: Store[];
  /** Why PostgreSQL is not measured, when it is not. */
  skipped?: string;
  stop(): Promise<void>;
}

function wanted(): Engine[] {
  const raw = process.env["BENCH_STORES"] || "sqlite,postgres";
  const engines = raw.split(",").map((s) => s.trim());
  if (engines.some((e) => e !== "sqlite" && e !== "postgres")) throw new Error(`BENCH_STORES: expected sqlite and/or postgres, got "${raw}"`);
  return engines as Engine[];
}

/** `dir` holds the SQLite data dir and the call logs; `database` names the PostgreSQL database; `flags` go to every child. */
export async function startStores(dir: string, database: string, say: (line: string) => void, flags: string[] = []): Promise<Stores> {
  const engines = wanted();
  const stores: Store[] = [];
  let cluster: PostgresCluster | undefined;
  let skipped: string | undefined = engines.includes("postgres") ? undefined : "not in BENCH_STORES";
  const stop = async () => {
    await Promise.all(stores.map((s) => s.d.stop()));
    await cluster?.stop();
  };
  try {
    for (const engine of engines) {
      let postgres: { cluster: PostgresCluster; database: string } | undefined;
      if (engine === "postgres") {
        say("starting a throwaway PostgreSQL cluster");
        const found = await postgresIfInstalled();
        if ("skipped" in found) {
          skipped = found.skipped;
          continue;
        }
        cluster = found.cluster;
        postgres = { cluster, database };
      }
      const label = engine === "sqlite" ? "SQLite" : "PostgreSQL";
      const logFile = path.join(dir, `${engine}.log`);
      fs.writeFileSync(logFile, "");
      const d = await deploy({ engine, nodes: 1, parentDir: dir, postgres, flags, callLog: () => logFile });
      stores.push({ label, d, node: d.nodes[0]!, callLog: openCallLog(logFile), logFile });
    }
    return { stores, skipped, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The first lines of a store's log at level warn or error: what the server warned about during the run. */
export function warningsOf(s: Store): string[] {
  return fs
    .readFileSync(s.logFile, "utf8")
    .split("\n")
    .filter((l) => /^\{"time":"[^"]*","level":"(warn|error)"/.test(l))
    .slice(0, 20);
}
