import { randomInt } from "node:crypto";

/** 2019-04-29T00:00:00Z, ZITADEL's Sonyflake epoch. */
const epochMs = Date.UTC(2019, 3, 29);

/**
 * Time-ordered decimal ids in ZITADEL's Sonyflake layout: 39 bits of time in
 * 10 ms units, 8 bits of sequence, 16 bits of machine id. The servers and
 * the CLI take their machine ids from a lease in the database
 * (store/machine-lease.ts), so processes writing to one database never share
 * one; `machineId` is asked for each id, as a lease may move to another.
 * Tests without a database give a number (random by default).
 */
export function createIdGenerator(machineId: number | (() => number) = randomInt(0, 1 << 16), clock: () => number = Date.now) {
  const currentMachineId = typeof machineId === "number" ? () => machineId : machineId;
  let lastTick = -1;
  let sequence = 0;
  return function newId(): string {
    const machine = currentMachineId();
    let tick = Math.floor((clock() - epochMs) / 10);
    if (tick < lastTick) tick = lastTick; // the clock went back: stay monotonic
    if (tick === lastTick) {
      sequence = (sequence + 1) & 0xff;
      // 256 ids in one tick: borrow the next tick rather than repeat an id.
      if (sequence === 0) tick = lastTick + 1;
    } else {
      sequence = 0;
    }
    lastTick = tick;
    return ((BigInt(tick) << 24n) | (BigInt(sequence) << 16n) | BigInt(machine)).toString();
  };
}
