import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { builtEntry } from "../support/built-entry.js";
import { testEngine } from "../support/test-database.js";

const root = new URL("../..", import.meta.url).pathname;
const started: { npm: ChildProcess; dir: string }[] = [];

afterEach(() => {
  for (const { npm, dir } of started.splice(0)) {
    if (npm.exitCode === null) process.kill(-npm.pid!, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface NpmStart {
  npm: ChildProcess;
  dataDir: string;
  /** actiond's own process, which npm started. */
  serverPid: number;
  baseUrl: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** `npm start` as an operator runs it, in a process group of its own (as a terminal gives it), with actiond's log lines read. */
async function npmStart(): Promise<NpmStart> {
  builtEntry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-npm-start-"));
  const npm = spawn("npm", ["start", "--", "--listen", "127.0.0.1:0", "--data-dir", dir, "--database", "sqlite:"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  started.push({ npm, dir });
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  const logs: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: npm.stderr! }).on("line", (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === "actiond listening") {
        resolve({ npm, dataDir: dir, serverPid: entry.pid as number, baseUrl: `http://${entry.address as string}`, logs, exited });
      }
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before listening: ${JSON.stringify(logs)}`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The process and its signals are the same on either engine: once is enough.
describe.skipIf(testEngine() === "postgres")("npm start", () => {
  it("runs the build with plain node, and SIGTERM to npm's own process shuts actiond down gracefully", async () => {
    const s = await npmStart();
    expect(s.serverPid).not.toBe(s.npm.pid);
    const ps = fs.readFileSync(`/proc/${s.serverPid}/cmdline`, "utf8").split("\0");
    expect(ps).toContain(path.join("dist", "main.js"));
    expect(ps).not.toContain("tsx");
    const health = await fetch(`${s.baseUrl}/grpc.health.v1.Health/Check`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(await health.json()).toEqual({ status: "SERVING" });
    // The bundle finds what the sources find beside them: the package's version, the worker's entry.
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(((await (await fetch(`${s.baseUrl}/openapi.json`)).json()) as { info: { version: string } }).info.version).toBe(version);
    // The web console the build made, on the same port.
    const consolePage = await fetch(`${s.baseUrl}/`);
    expect(consolePage.url).toBe(`${s.baseUrl}/console/`);
    expect(await consolePage.text()).toContain('<div id="root">');
    const token = fs.readFileSync(path.join(s.dataDir, "admin.token"), "utf8").trim();
    const tested = await fetch(`${s.baseUrl}/actiond.v1.ExecutionService/TestAction`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "hi", script: "function hi(ctx, api) { api.v1.claims.setClaim('hi', 1) }", flowType: "2", triggerType: "5" }),
    });
    expect(((await tested.json()) as { execution: { runs: { outcome: string }[] } }).execution.runs[0]?.outcome).toBe("OUTCOME_SUCCEEDED");

    s.npm.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(["shutting down", "actiond stopped"]));
    expect(alive(s.serverPid)).toBe(false);
  });

  it("shuts down gracefully on Ctrl-C, which signals npm and actiond alike", async () => {
    const s = await npmStart();
    process.kill(-s.npm.pid!, "SIGINT");
    expect(await s.exited).toBe(0);
    expect(s.logs.filter((l) => l.msg === "shutting down")).toEqual([expect.objectContaining({ signal: "SIGINT" })]);
    expect(s.logs.at(-1)?.msg).toBe("actiond stopped");
    expect(alive(s.serverPid)).toBe(false);
  });
});
