/**
 * actiond children on a store: SQLite in a data dir, or a fresh database of a
 * throwaway PostgreSQL cluster (test/support/postgres-cluster.ts), one node or
 * several sharing it. Used by bench/storage.ts, api.ts and execute.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { secretsKeyFileName } from "../src/store/secrets-key-file.js";
import { adminQuery, type PostgresCluster, postgresBinaries, startPostgresCluster } from "../test/support/postgres-cluster.js";
import { type ServerChild, startServerChild } from "./children.js";

export type Engine = "sqlite" | "postgres";

export interface Node {
  child: ServerChild;
  baseUrl: string;
  dataDir: string;
}

export interface Deployment {
  nodes: Node[];
  /** The admin token, from the node that bootstrapped the database. */
  token: string;
  stop(): Promise<void>;
}

export interface DeployOptions {
  engine: Engine;
  nodes: number;
  /** Where the data dirs go. */
  parentDir: string;
  /** For engine "postgres": the cluster, and the name of the fresh database made in it. */
  postgres?: { cluster: PostgresCluster; database: string };
  /** Extra actiond flags for every node. */
  flags?: string[];
  /** Node i's stderr goes to this file (bench/call-log.ts); unset: the bench's stderr, at log level warn. */
  callLog?: (i: number) => string;
}

export async function deploy(o: DeployOptions): Promise<Deployment> {
  const dirs = Array.from({ length: o.nodes }, () => fs.mkdtempSync(path.join(o.parentDir, "actiond-bench-node-")));
  const nodes: Node[] = [];
  // On an interrupt children.ts's exit hook kills the nodes; this one removes their dirs.
  const removeDirs = () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  };
  process.once("exit", removeDirs);
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.child.stop()));
    process.off("exit", removeDirs);
    removeDirs();
  };
  try {
    let database: string[] = [];
    if (o.engine === "postgres") {
      if (!o.postgres) throw new Error("deploy: engine postgres needs a cluster");
      await adminQuery(o.postgres.cluster.url, `CREATE DATABASE ${o.postgres.database}`);
      const url = new URL(o.postgres.cluster.url);
      url.pathname = `/${o.postgres.database}`;
      database = ["--database", url.toString()];
    }
    // The first node bootstraps (the admin token is in its data dir); the others share its secrets key.
    for (const [i, dir] of dirs.entries()) {
      const shared = i === 0 ? [] : ["--secrets-key-file", path.join(dirs[0]!, secretsKeyFileName)];
      const logged = o.callLog ? ["--log-level", "info"] : [];
      const child = await startServerChild(["actiond", dir, ...database, ...shared, ...logged, ...(o.flags ?? [])], { stderrFile: o.callLog?.(i) });
      nodes.push({ child, baseUrl: `http://127.0.0.1:${child.info.port}`, dataDir: dir });
    }
    const token = nodes[0]!.child.info.adminToken;
    if (!token) throw new Error("the first node reported no admin token");
    return { nodes, token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A throwaway PostgreSQL cluster, or why there is none: the benches then measure SQLite only, and say so. */
export async function postgresIfInstalled(): Promise<{ cluster: PostgresCluster } | { skipped: string }> {
  if (!postgresBinaries()) return { skipped: "no PostgreSQL server programs in /usr/lib/postgresql/*/bin (apt-get install -y postgresql)" };
  return { cluster: await startPostgresCluster() };
}
