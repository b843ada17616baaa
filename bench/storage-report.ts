/** The tables of bench/storage.ts: one row per setup and operation, then the ratios. */
import { fmt, formatTable } from "./common.js";
import type { Measure, Measured } from "./storage-load.js";

export const opNames = ["GetAction", "RunTrigger", "DeleteAction"] as const;
export type OpName = (typeof opNames)[number];
export type SetupName = "SQLite, 1 node" | "PostgreSQL, 1 node" | "PostgreSQL, 2 nodes";

export interface Row {
  setup: SetupName;
  op: OpName;
  m: Measured;
}

const pct = (share: number) => `${fmt(share * 100, 0)}%`;
const int = (n: number) => Math.round(n).toLocaleString("en-US");

export function formatStorageReport(rows: Row[]): string {
  const body = rows.map(({ setup, op, m }) => [
    `${setup}, ${op}`,
    int(m.rps),
    fmt(m.p50Ms, 2),
    fmt(m.p99Ms, 2),
    int(m.requests),
    fmt(m.elapsedMs / 1_000, 1),
    int(m.requests - m.status["2xx"]),
    setup.startsWith("PostgreSQL") ? int(Object.values(m.pgErrors).reduce((a, b) => a + b, 0)) : "–",
    pct(m.cpu.servers),
    pct(m.cpu.postgres),
    pct(m.cpu.h2load),
    pct(m.cpu.others),
  ]);
  const cases = formatTable(
    ["case", "calls/s", "p50 ms", "p99 ms", "calls", "s", "non-2xx", "PG ERRORs", "actiond CPU", "PostgreSQL CPU", "h2load CPU", "other CPU"],
    body,
  );
  const find = (setup: SetupName, op: OpName) => rows.find((r) => r.setup === setup && r.op === op)?.m;
  const ratio = (a: Measure | undefined, b: Measure | undefined, f: (m: Measure) => number) => (a && b ? fmt(f(a) / f(b), 2) : "n/a");
  const ratios = formatTable(
    ["operation", "PostgreSQL ÷ SQLite, calls/s", "p50", "2 nodes ÷ 1 node (PostgreSQL), calls/s", "p50"],
    opNames.map((op) => {
      const [sqlite, pg1, pg2] = [find("SQLite, 1 node", op), find("PostgreSQL, 1 node", op), find("PostgreSQL, 2 nodes", op)];
      return [op, ratio(pg1, sqlite, (m) => m.rps), ratio(pg1, sqlite, (m) => m.p50Ms), ratio(pg2, pg1, (m) => m.rps), ratio(pg2, pg1, (m) => m.p50Ms)];
    }),
  );
  const errors = rows.flatMap(({ setup, op, m }) => Object.entries(m.pgErrors).map(([message, n]) => `- ${setup}, ${op}: ${n} × ERROR: ${message}`));
  const logged =
    errors.length === 0
      ? "PostgreSQL logged no ERROR during the measured runs."
      : `PostgreSQL's ERRORs during the measured runs (a serialization failure or conflicting append is retried by the adapter; the call's status tells whether it got through):\n${errors.join("\n")}`;
  return `${cases}\n\n${ratios}\n\n${logged}`;
}
