/**
 * h2load (Debian's nghttp2-client), the C load generator of the HTTP benches:
 * on 2 cores a Node client would spend the CPU the server needs, so the
 * figures would measure the client.
 *
 * Runs are count-based (`-n`), never timed (`-D`): a timed run drops the calls
 * still in flight when it stops, which the server may still run and record,
 * and then the records could not be matched to the answers.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { percentile } from "./load.js";

export interface H2loadOptions {
  /** The URL every request goes to; or `uriFile`. */
  url?: string;
  /**
   * A file of URLs, one a line (`-i`): each connection sends them in order, from the first.
   * With one connection and `-n` their count, every URL is requested exactly once.
   */
  uriFile?: string;
  /** Connections; over HTTP/1.1 each has one request in flight (no pipelining: `-d` implies it). */
  clients: number;
  /** Unset: HTTP/1.1 (`--h1`). Set: h2c with this many streams in flight per connection (`-m`). */
  streams?: number;
  requests: number;
  /** The request body (`-d`, which makes it a POST); unset: no body. `:method` can be set as a header. */
  bodyFile?: string;
  headers: Record<string, string>;
}

export interface H2loadResult {
  requests: number;
  done: number;
  /** h2load's `status codes:` line. h2load reads no body, so the status is all it can count. */
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
  /** Requests that got no status at all (h2load's "failed" also counts 4xx and 5xx answers). */
  unanswered: number;
  elapsedMs: number;
  rps: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds h2load used (its user + system time): counts every child of this process that ended meanwhile, so it is h2load's own only for a run made alone. */
  cpuSeconds: number;
  /** Every request's latency, sorted, for merging the logs of runs made side by side. */
  latenciesMs: Float64Array;
}

export const installHint = "apt-get install -y nghttp2-client";

const found = () => spawnSync("h2load", ["--version"], { encoding: "utf8" }).status === 0;

/** Finds h2load; when missing and this runs as root with apt-get, installs it; otherwise throws naming the package. */
export function ensureH2load(say: (line: string) => void): void {
  if (found()) return;
  const canInstall = process.getuid?.() === 0 && spawnSync("apt-get", ["--version"]).status === 0;
  if (!canInstall) throw new Error(`h2load is missing: install it with \`${installHint}\` (Debian/Ubuntu, as root)`);
  say(`h2load is missing: running apt-get update and ${installHint}`);
  for (const args of [["update"], ["install", "-y", "nghttp2-client"]]) {
    const r = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${r.status}): install h2load with \`${installHint}\``);
  }
  if (!found()) throw new Error(`h2load is still missing after ${installHint}`);
}

/** CPU seconds of this process's children that have been waited for (/proc/self/stat cutime + cstime; USER_HZ 100). */
export function childrenCpuSeconds(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const count = (text: string, pattern: RegExp, what: string) => {
  const m = pattern.exec(text);
  if (!m) throw new Error(`h2load printed no ${what}:\n${text}`);
  return m.slice(1).map(Number);
};

/** One h2load run; latencies come from its per-request log (`--log-file`). */
export async function runH2load(o: H2loadOptions): Promise<H2loadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-h2load-"));
  const logFile = path.join(dir, "requests.tsv");
  const protocol = o.streams === undefined ? ["--h1"] : ["-m", String(o.streams)];
  const args = [...protocol, "-c", String(o.clients), "-n", String(o.requests), "--log-file", logFile];
  if (o.bodyFile !== undefined) args.push("-d", o.bodyFile);
  for (const [name, value] of Object.entries(o.headers)) args.push("-H", `${name}: ${value}`);
  if (o.uriFile !== undefined) args.push("-i", o.uriFile);
  else if (o.url !== undefined) args.push(o.url);
  else throw new Error("runH2load: give url or uriFile");
  try {
    const cpu0 = childrenCpuSeconds();
    const child = spawn("h2load", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (out += s));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    const cpuSeconds = childrenCpuSeconds() - cpu0;
    if (code !== 0) throw new Error(`h2load exited with ${code}:\n${out}`);
    const finished = /finished in ([\d.]+)(s|ms|us),/.exec(out);
    if (!finished) throw new Error(`h2load printed no duration:\n${out}`);
    const elapsedMs = Number(finished[1]) * { s: 1_000, ms: 1, us: 0.001 }[finished[2] as "s" | "ms" | "us"];
    const [total = 0, , done = 0] = count(out, /requests: (\d+) total, (\d+) started, (\d+) done,/, "request counts");
    const [s2 = 0, s3 = 0, s4 = 0, s5 = 0] = count(out, /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/, "status codes");
    const micros = fs
      .readFileSync(logFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => Number(line.split("\t")[2]));
    const sorted = Float64Array.from(micros, (us) => us / 1_000).sort();
    return {
      requests: total,
      done,
      status: { "2xx": s2, "3xx": s3, "4xx": s4, "5xx": s5 },
      unanswered: total - (s2 + s3 + s4 + s5),
      elapsedMs,
      rps: (done / elapsedMs) * 1_000,
      meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      cpuSeconds,
      latenciesMs: sorted,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
