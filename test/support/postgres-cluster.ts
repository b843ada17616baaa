import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/** Where Debian's `postgresql` package puts each major version's server programs. */
const debianRoot = "/usr/lib/postgresql";

/** The collation the schema's `fold()` lowercases with (src/store/postgres/migrations.ts). */
const foldCollation = "und-x-icu";

export type StopMode = "smart" | "fast" | "immediate";

export interface PostgresCluster {
  /** The superuser on the `postgres` database, over loopback TCP, no password. */
  url: string;
  port: number;
  /** The temp dir (in /dev/shm when it has room) holding the cluster's data (`data/`), its socket and its log (`postgres.log`). */
  dir: string;
  /** Stops the server and keeps its data, for fault tests; `mode` is pg_ctl's `-m`. */
  stopServer(mode?: StopMode): Promise<void>;
  /** Starts the stopped server again, on the same port and data. */
  startServer(): Promise<void>;
  restartServer(mode?: StopMode): Promise<void>;
  /** Stops the server for good and removes its files. */
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin dir, if it has `initdb` and `pg_ctl`. */
export function postgresBinaries(): string | undefined {
  let versions: string[];
  try {
    versions = fs.readdirSync(debianRoot);
  } catch {
    return undefined;
  }
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(debianRoot, v, "bin"))
    .find((bin) => ["initdb", "pg_ctl", "postgres"].every((p) => fs.existsSync(path.join(bin, p))));
}

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster: a fresh data dir, listening on 127.0.0.1 and
 * a socket in its own dir only, tuned for tests (no fsync; a crash loses the
 * cluster, which is thrown away anyway). Started under the `postgres` user
 * when this process is root, since initdb and postgres refuse root.
 *
 * A fault test that stops the server must start a cluster of its own: the
 * run's shared one (postgres-global-setup.ts) serves every other test file.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(`no PostgreSQL server binaries in ${debianRoot}/*/bin: apt-get install -y postgresql`);
  const dir = fs.mkdtempSync(path.join(clusterParent(), "actiond-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "postgres.log");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, ...postgresUser());

  // Nothing may outlive the test run, even one that exits without its teardown.
  const removeOnExit = () => {
    try {
      execFileSync(...asOwner(path.join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w"], asRoot), { stdio: "ignore" });
    } catch {
      // Not running.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", removeOnExit);

  const pgCtl = async (args: string[]) => {
    const [file, argv] = asOwner(path.join(bin, "pg_ctl"), args, asRoot);
    await run(file, argv, { cwd: dir, timeout: 120_000 });
  };
  let port = 0;
  const startServer = async () => {
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-c unix_socket_directories='${dir}'`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    // -l: the server's output goes to the log, not to pipes this process would wait on.
    await pgCtl(["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]).catch((err: Error) => {
      throw new Error(`PostgreSQL did not start on port ${port}: ${err.message}\n${logTail(log)}`);
    });
  };
  const stopServer = (mode: StopMode = "fast") => pgCtl(["stop", "-D", data, "-m", mode, "-w", "-t", "60"]);

  try {
    const [file, argv] = asOwner(
      path.join(bin, "initdb"),
      ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
      asRoot,
    );
    await run(file, argv, { cwd: dir, timeout: 120_000 });
    // Another process may take the free port before the server binds it: then try another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await startServer();
        break;
      } catch (err) {
        if (attempt === 5 || !/could not bind|could not create any TCP\/IP sockets/.test(logTail(log))) throw err;
        fs.rmSync(log, { force: true });
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await requireCollation(url);
    return {
      url,
      port,
      dir,
      stopServer,
      startServer,
      async restartServer(mode) {
        await stopServer(mode);
        await startServer();
      },
      async stop() {
        process.off("exit", removeOnExit);
        await stopServer("fast").catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    process.off("exit", removeOnExit);
    removeOnExit();
    throw err;
  }
}

/** Runs SQL as the cluster's superuser on one short-lived connection. */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  // Generous: on a busy machine a backend can take seconds to fork.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000, application_name: "actiond-tests" });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function requireCollation(url: string): Promise<void> {
  const rows = await adminQuery(url, `SELECT 1 FROM pg_collation WHERE collname = '${foldCollation}'`);
  if (rows.length === 0) throw new Error(`this PostgreSQL has no "${foldCollation}" collation (built without ICU?); actiond's schema needs it`);
}

/**
 * tmpfs when it has room: a CREATE DATABASE copies the template's files,
 * several times faster in memory than on a disk other jobs keep busy. A
 * container's /dev/shm is often 64 MB, too small for a cluster.
 */
function clusterParent(): string {
  const shm = "/dev/shm";
  try {
    fs.accessSync(shm, fs.constants.W_OK);
    const { bavail, bsize } = fs.statfsSync(shm);
    if (bavail * bsize >= 2 ** 30) return shm;
  } catch {
    // No tmpfs here.
  }
  return os.tmpdir();
}

/** initdb and postgres refuse root; Debian's package makes this user for them. */
function postgresUser(): [uid: number, gid: number] {
  const id = (flag: string) => {
    try {
      return Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    } catch {
      throw new Error('running as root, and no "postgres" user to run PostgreSQL as: apt-get install -y postgresql');
    }
  };
  return [id("-u"), id("-g")];
}

/** The command line that runs `program` as the owner of the cluster's files. */
function asOwner(program: string, args: string[], asRoot: boolean): [string, string[]] {
  return asRoot ? ["runuser", ["-u", "postgres", "--", program, ...args]] : [program, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logTail(log: string): string {
  try {
    return fs.readFileSync(log, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no server log)";
  }
}
