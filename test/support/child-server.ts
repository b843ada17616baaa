import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach } from "vitest";
import { builtEntry } from "./built-entry.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export interface ChildServer {
  child: ChildProcess;
  /** http://host:port, or https:// when it serves TLS (its "listening" line says). */
  baseUrl: string;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The `--database` URL it serves, for the CLI and other nodes; undefined on SQLite or when `extraArgs` chose one. */
  database: string | undefined;
}

export interface ChildServerOptions {
  /**
   * The database to serve: nodes given the same URL share one. Unset: on
   * PostgreSQL (test-database.ts) a fresh one, dropped once the server exits;
   * on SQLite the data dir's file. A `--database` in `extraArgs` wins.
   */
  database?: string;
}

/** `npm start`'s entry (the build) in a child process, on an ephemeral loopback port; resolves once it listens. */
export async function startChildServer(dataDir: string, extraArgs: string[] = [], options: ChildServerOptions = {}): Promise<ChildServer> {
  const chosen = choosesDatabase(extraArgs);
  const owned = chosen || options.database ? undefined : await createTestDatabase();
  const database = chosen ? undefined : (options.database ?? owned?.url);
  // Always a --database: an ACTIOND_DATABASE_URL in this environment must not pick the engine under test.
  const databaseArgs = chosen ? [] : ["--database", database ?? "sqlite:"];
  const child = spawn(
    process.execPath,
    [builtEntry(), "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...databaseArgs, ...extraArgs],
    { cwd: new URL("../..", import.meta.url).pathname, stdio: ["ignore", "ignore", "pipe"] },
  );
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // Nothing else knows of the fresh database; a failed drop only leaves it on the run's throwaway cluster.
  if (owned) void exited.then(() => owned.drop()).catch(() => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("server did not start in time"));
    }, 20_000);
    readline.createInterface({ input: child.stderr! }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { raw: line };
      }
      logs.push(entry);
      if (entry.msg === "actiond listening") {
        clearTimeout(timer);
        resolve({ child, baseUrl: `${entry.tls ? "https" : "http"}://${entry.address as string}`, logs, exited, database });
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${JSON.stringify(logs)}`));
    });
  });
}

const choosesDatabase = (args: string[]) => args.some((a) => a === "--database" || a.startsWith("--database="));

/**
 * Child servers and temp data dirs for one test file: every server started
 * is killed, every dir removed and every database dropped after each test.
 * On PostgreSQL each data dir gets a database of its own, which a restart on
 * that dir finds again, as it finds the SQLite file.
 */
export function useChildServers(prefix: string) {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  const databases = new Map<string, Promise<TestDatabase>>();
  afterEach(async () => {
    for (const c of children.splice(0)) c.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    const dropping = [...databases.values()].map(async (db) => (await db).drop());
    databases.clear();
    await Promise.all(dropping);
  });
  const databaseFor = (dataDir: string): Promise<string | undefined> => {
    const key = path.resolve(dataDir);
    let db = databases.get(key);
    if (!db) databases.set(key, (db = createTestDatabase()));
    return db.then((d) => d.url);
  };
  return {
    /** Servers to kill after the test: push one started some other way. */
    children,
    tempDir(): string {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    /** The database of `dataDir`'s servers, for the CLI or for more nodes on it; undefined on SQLite. */
    databaseFor,
    /** A server on `dataDir`, serving that dir's database unless `options` names another. */
    async start(dataDir: string, extraArgs: string[] = [], options: ChildServerOptions = {}): Promise<ChildServer> {
      const database = options.database ?? (choosesDatabase(extraArgs) ? undefined : await databaseFor(dataDir));
      const s = await startChildServer(dataDir, extraArgs, { database });
      children.push(s);
      return s;
    },
  };
}
