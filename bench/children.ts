import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

export interface ServerChild {
  pid: number;
  info: { port: number; adminToken?: string; workers?: number; orgConcurrency?: number; executionMaxPerOrg?: number };
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const live = new Set<ChildProcess>();

// Last resort: whatever way this process ends, no server child outlives it.
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Extra Node flags for the server children, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const nodeArgs = (process.env["BENCH_SERVER_NODE_ARGS"] ?? "").split(" ").filter(Boolean);

export interface ChildOptions {
  readyTimeoutMs?: number;
  /**
   * The child's stderr goes to this file (appended) instead of the bench's: a server's call log,
   * read after each case (bench/call-log.ts). A file, not a pipe, so that the bench reads nothing during a run.
   */
  stderrFile?: string;
}

/** Spawns bench/server-process.ts with `args`; resolves with the JSON line it prints once listening. */
export function startServerChild(args: string[], { readyTimeoutMs = 30_000, stderrFile }: ChildOptions = {}): Promise<ServerChild> {
  const stderr = stderrFile === undefined ? "inherit" : fs.openSync(stderrFile, "a");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "bench/server-process.ts", ...args], {
    cwd: root,
    stdio: ["pipe", "pipe", stderr],
  });
  // The child has its own copy of the descriptor.
  if (typeof stderr === "number") fs.closeSync(stderr);
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      live.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (!live.has(child)) return;
    child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(force);
  };
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stop();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`server child ${args[0]} not ready in ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once("error", fail);
    void exited.then(() => fail(new Error(`server child ${args[0]} exited before it was ready`)));
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve({ pid: child.pid!, info: JSON.parse(line) as ServerChild["info"], stop });
      } catch {
        fail(new Error(`server child ${args[0]} printed ${JSON.stringify(line)}`));
      }
    });
  });
}
