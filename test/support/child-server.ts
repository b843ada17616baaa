import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach } from "vitest";

export interface ChildServer {
  child: ChildProcess;
  baseUrl: string;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s entry in a child process, on an ephemeral loopback port; resolves once it listens. */
export function startChildServer(dataDir: string, extraArgs: string[] = []): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...extraArgs],
    { cwd: new URL("../..", import.meta.url).pathname, stdio: ["ignore", "ignore", "pipe"] },
  );
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start in time")), 20_000);
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
        resolve({ child, baseUrl: `http://${entry.address as string}`, logs, exited });
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${JSON.stringify(logs)}`));
    });
  });
}

/**
 * Child servers and temp data dirs for one test file: every server started
 * is killed and every dir removed after each test.
 */
export function useChildServers(prefix: string) {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    /** Servers to kill after the test: push one started some other way. */
    children,
    tempDir(): string {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    async start(dataDir: string): Promise<ChildServer> {
      const s = await startChildServer(dataDir);
      children.push(s);
      return s;
    },
  };
}
