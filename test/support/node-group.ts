import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLogger } from "../../src/logger.js";
import { openPostgresDatabase } from "../../src/store/postgres/postgres-database.js";
import type { SqlDatabase } from "../../src/store/sql.js";
import { type ChildServer, startChildServer } from "./child-server.js";
import { wireErrorFromConnect } from "./management-clients.js";
import type { WireError } from "./wire-error.js";

/** One actiond node of a group: a child server with the data dir of its own. */
export interface GroupNode extends ChildServer {
  dataDir: string;
}

export interface NodeGroup {
  nodes: GroupNode[];
  /** Kills every node, waits for each to exit, then removes the data dirs; twice is fine. */
  close(): Promise<void>;
}

/**
 * `count` child servers sharing one database, started at once as a deployment
 * rolls out. If any fails to start, the ones that did are killed and every dir
 * removed before the failure is thrown.
 */
export async function startNodeGroup(count: number, database: string, prefix = "actiond-node-"): Promise<NodeGroup> {
  const dirs = Array.from({ length: count }, () => fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const started = await Promise.allSettled(dirs.map((dir) => startChildServer(dir, [], { database })));
  const nodes = started.flatMap((s, i) => (s.status === "fulfilled" ? [{ ...s.value, dataDir: dirs[i]! }] : []));
  const close = async () => {
    for (const n of nodes) n.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { nodes, close };
}

/** What a call came to: its answer, or the error as every test client reports it. */
export type Settled<T> = { ok: true; value: T } | ({ ok: false } & WireError);

/** Never rejects: for calls raced against each other, whose loser is part of the result. */
export async function settle<T>(call: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    return { ok: false, ...wireErrorFromConnect(err) };
  }
}

/** The store's own PostgreSQL adapter on `url`, without a machine lease: to inspect what the nodes wrote. */
export async function withPostgres<T>(url: string, fn: (db: SqlDatabase) => Promise<T>): Promise<T> {
  const db = await openPostgresDatabase({ url, poolSize: 2, log: createLogger("error", () => {}) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
