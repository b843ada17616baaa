/**
 * actiond's own count of what it answered. At its default log level it writes one
 * JSON line per call, {"msg":"call","rpc":…,"code":"ok"|…}, on every protocol
 * (src/transport/call-log.ts). h2load only sees HTTP statuses, and gRPC and gRPC-Web
 * carry theirs in trailers, so the codes of a case are counted here: its child's
 * stderr goes to a file, read after each case from where the last read stopped.
 */
import fs from "node:fs";

/** rpc → code → calls. */
export type CallCounts = Map<string, Map<string, number>>;

export interface CallLog {
  /** The calls logged since the last take (or since the log was opened). */
  take(): CallCounts;
}

export function openCallLog(file: string): CallLog {
  let offset = 0;
  let partial = "";
  return {
    take() {
      const size = fs.statSync(file).size;
      const fresh = Buffer.alloc(size - offset);
      const fd = fs.openSync(file, "r");
      try {
        fs.readSync(fd, fresh, 0, fresh.length, offset);
      } finally {
        fs.closeSync(fd);
      }
      offset = size;
      const lines = (partial + fresh.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      const counts: CallCounts = new Map();
      for (const line of lines) {
        if (!line.includes('"msg":"call"')) continue;
        const { rpc, code } = JSON.parse(line) as { rpc: string; code: string };
        const byCode = counts.get(rpc) ?? new Map<string, number>();
        byCode.set(code, (byCode.get(code) ?? 0) + 1);
        counts.set(rpc, byCode);
      }
      return counts;
    },
  };
}

/** Calls of `rpc` in `counts`: all of them, and those not ok by code. */
export function callsOf(counts: CallCounts, rpc: string): { answered: number; notOk: Record<string, number> } {
  const byCode = counts.get(rpc) ?? new Map<string, number>();
  const notOk: Record<string, number> = {};
  let answered = 0;
  for (const [code, n] of byCode) {
    answered += n;
    if (code !== "ok") notOk[code] = n;
  }
  return { answered, notOk };
}

/** Calls of every rpc not in `expected`: a call the case did not make is a sign of something else talking to the server. */
export function otherCalls(counts: CallCounts, expected: string[]): number {
  let n = 0;
  for (const [name, byCode] of counts) if (!expected.includes(name)) for (const c of byCode.values()) n += c;
  return n;
}
