/** Small helpers shared by the bench scripts: env parsing, process CPU, load average, tables. */
import fs from "node:fs";
import os from "node:os";

export function envNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}: expected a positive ${integer ? "integer" : "number"}, got "${raw}"`);
  }
  return value;
}

/** CPU seconds (user + system, all threads) of a process, from /proc (Linux; USER_HZ 100); NaN elsewhere. */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds all cores of the machine spent busy (not idle, not waiting for I/O), from /proc/stat; NaN elsewhere. */
export function machineBusySeconds(): number {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Measures CPU shares (1 = one whole core) between start and stop: this
 * process, `serverPid` (all its threads), and every other process of the machine.
 */
export function cpuMeter(serverPid: number | undefined, onStop: (clientCpu: number, serverCpu: number, othersCpu: number) => void) {
  return () => {
    const t0 = performance.now();
    const client0 = process.cpuUsage();
    const server0 = serverPid === undefined ? NaN : procCpuSeconds(serverPid);
    const machine0 = machineBusySeconds();
    return () => {
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(client0);
      const client = (c.user + c.system) / 1e6 / wall;
      const server = ((serverPid === undefined ? NaN : procCpuSeconds(serverPid)) - server0) / wall;
      onStop(client, server, Math.max(0, (machineBusySeconds() - machine0) / wall - client - (Number.isNaN(server) ? 0 : server)));
    };
  };
}

/**
 * Waits (at most `maxMs`) until the machine is quiet: less than `threshold`
 * cores busy over one second. Resolves with the busy cores of the last second.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.25): Promise<number> {
  const end = performance.now() + maxMs;
  for (;;) {
    const b0 = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const busy = machineBusySeconds() - b0;
    if (!(busy >= threshold) || performance.now() >= end) return busy;
  }
}

export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

export const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** A Markdown table: first column left-aligned, the others right-aligned. */
export function formatTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`;
  return [line(head), rule, ...body.map(line)].join("\n");
}

/** SIGINT/SIGTERM end the process; children.ts's exit hook kills the server children. */
export function exitOnSignals(): void {
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping\n`);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
}

/** Runs a benchmark's main: children die with it on a signal; the exit code says whether it finished. */
export function runBench(main: () => Promise<void>): void {
  exitOnSignals();
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
