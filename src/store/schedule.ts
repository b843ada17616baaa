import type { SqlDatabase } from "./sql.js";

/**
 * Whether this node takes the turn of the job `name`, due every `everyMs`.
 * Every node asks on its own timer; the first to ask once the turn is due
 * wins it and moves the next one `everyMs` on, so of several nodes one does
 * the job and the others skip it. The first ask on a fresh database wins.
 * When the winning node stops, the next turn falls to whichever asks first.
 */
export async function claimTurn(db: SqlDatabase, name: string, everyMs: number, nowMs: number): Promise<boolean> {
  // One statement: of nodes asking at once, the row lock lets one insert or move the turn; the others then find it not due.
  const claimed = await db.run(
    `INSERT INTO schedules (name, next_at) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET next_at = excluded.next_at WHERE schedules.next_at <= ?`,
    [name, nowMs + everyMs, nowMs],
  );
  return claimed === 1;
}
