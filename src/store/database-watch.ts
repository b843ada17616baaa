import type { SqlDatabase } from "./sql.js";

/**
 * Pings the database every `everyMs` and reports each change between
 * reachable and unreachable, so the health service can say NOT_SERVING
 * while calls would fail anyway. One ping at a time: a ping stuck on a
 * connect timeout does not pile up others behind it.
 */
export function watchDatabase(db: SqlDatabase, everyMs: number, onChange: (reachable: boolean) => void): () => void {
  let reachable = true;
  let pinging = false;
  const timer = setInterval(async () => {
    if (pinging) return;
    pinging = true;
    const now = await db.ping();
    pinging = false;
    if (now === reachable) return;
    reachable = now;
    onChange(now);
  }, everyMs).unref();
  return () => clearInterval(timer);
}
