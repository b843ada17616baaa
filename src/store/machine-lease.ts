import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Logger } from "../logger.js";
import { type SqlDatabase, sqlNowMs } from "./sql.js";
import { storeErrors } from "./store-errors.js";

/** A Sonyflake machine id this process holds alone among those writing to the database. */
export interface MachineLease {
  /** The id held now; Unavailable once the lease could not be renewed in time (the database is unreachable). */
  current(): number;
  /** Gives the id back and stops renewing. */
  release(): Promise<void>;
}

export interface LeaseTiming {
  ttlMs: number;
  renewEveryMs: number;
  /** A released or expired id rests this long before another process may take it, so ids minted just before do not meet ids minted just after. */
  restMs: number;
}

const defaultTiming: LeaseTiming = { ttlMs: 60_000, renewEveryMs: 15_000, restMs: 10_000 };
const machineIds = 1 << 16;
const draws = 64;

/**
 * Leases a machine id in `machine_leases` and renews it in the background.
 * Expiry is on the database's clock, which every node shares; this process
 * counts its own validity from before it asked, on its monotonic clock, so it
 * stops using an id before any other process could have been given it.
 */
export async function leaseMachineId(db: SqlDatabase, log: Logger, timing: LeaseTiming = defaultTiming): Promise<MachineLease> {
  const holder = randomUUID();
  const now = sqlNowMs[db.engine];
  let machineId = -1;
  let validUntil = 0;

  async function acquire(): Promise<void> {
    const asked = performance.now();
    machineId = await db.transaction(async (tx) => {
      await tx.run(`DELETE FROM machine_leases WHERE expires_at < ${now} - ?`, [timing.restMs]);
      for (let i = 0; i < draws; i++) {
        const candidate = Math.floor(Math.random() * machineIds);
        const taken = await tx.run(
          `INSERT INTO machine_leases (machine_id, holder, expires_at) VALUES (?, ?, ${now} + ?) ON CONFLICT DO NOTHING`,
          [candidate, holder, timing.ttlMs],
        );
        if (taken === 1) return candidate;
      }
      throw new Error(`no free machine id after ${draws} draws: are thousands of actiond processes on this database?`);
    });
    validUntil = asked + timing.ttlMs;
  }

  async function renew(): Promise<void> {
    const asked = performance.now();
    const renewed = await db.run(`UPDATE machine_leases SET expires_at = ${now} + ? WHERE machine_id = ? AND holder = ?`, [
      timing.ttlMs,
      machineId,
      holder,
    ]);
    if (renewed === 1) {
      validUntil = asked + timing.ttlMs;
      return;
    }
    log.warn("the machine id lease was lost (the database was unreachable too long); taking another", { machineId });
    await acquire();
  }

  await acquire();
  let renewing: Promise<void> | undefined;
  const timer = setInterval(() => {
    renewing ??= renew()
      .catch((err) => log.warn("could not renew the machine id lease", { err: (err as Error).message }))
      .finally(() => (renewing = undefined));
  }, timing.renewEveryMs).unref();

  return {
    current() {
      if (performance.now() >= validUntil) throw storeErrors.unavailable();
      return machineId;
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await db.run(`UPDATE machine_leases SET expires_at = ${now} WHERE machine_id = ? AND holder = ?`, [machineId, holder]);
    },
  };
}
