import fs from "node:fs";

/**
 * The process's soft limit on open files, from /proc/self/limits (Linux), or
 * undefined where that cannot be read: Node has no getrlimit.
 */
export function openFileLimit(read: () => string = () => fs.readFileSync("/proc/self/limits", "utf8")): number | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)/m.exec(text)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

/**
 * The default connection cap: half the open-file limit (1,024 where it is not
 * known), so that the database, the worker threads and the scripts' fetches
 * keep descriptors of their own, and at most 10,000.
 */
export function defaultMaxConnections(limit: number | undefined): number {
  return Math.max(1, Math.min(10_000, Math.floor((limit ?? 1024) / 2)));
}
