import type { SqlDatabase } from "./sql.js";

/**
 * Whether this node takes the turn of the job `name`, due every `everyMs`.
 * Every node asks on its own timer; the first to ask once the turn is due
 * wins it and moves the next one `everyMs` on, so of several nodes one does
 * the job and the others skip it. The first ask on a fresh database wins.
 * When the winning node stops, the next turn falls to whichever asks first.
 */
export async function claimTurn(db: SqlDatabase, name: string, everyMs: number, nowMs: number): Promise<boolean> {
  const nextAt = nowMs + everyMs;
  return db.transaction(async (tx) => {
    const created = await tx.run("INSERT INTO schedules (name, next_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [name, nextAt]);
    if (created === 1) return true;
    return (await tx.run("UPDATE schedules SET next_at = ? WHERE name = ? AND next_at <= ?", [nextAt, name, nowMs])) === 1;
  });
}
