import net from "node:net";
import { describe, expect, it } from "vitest";
import { createConnectionTable } from "./connection-table.js";

const socket = () => {
  const s = new net.Socket();
  let destroyed = false;
  s.destroy = () => ((destroyed = true), s);
  return Object.assign(s, { wasDestroyed: () => destroyed });
};

describe("createConnectionTable()", () => {
  it("at the cap, closes the oldest connection that never sent a byte first, then the longest idle", () => {
    const table = createConnectionTable({ maxConnections: 3, idleTimeoutMs: 60_000 });
    const [a, b, c] = [socket(), socket(), socket()];
    const ca = table.admit(a)!;
    const cb = table.admit(b)!;
    table.admit(c);
    table.decided(ca);
    table.decided(cb);
    const d = socket();
    expect(table.admit(d)).toBeDefined();
    expect([a, b, c].map((s) => s.wasDestroyed())).toEqual([false, false, true]);
    table.decided(table.all().find((x) => x.socket === d)!);
    expect(table.admit(socket())).toBeDefined();
    expect(a.wasDestroyed()).toBe(true);
    expect(table.size).toBe(3);
  });

  it("never closes a connection with work, and refuses a new one when all have work", () => {
    const table = createConnectionTable({ maxConnections: 1, idleTimeoutMs: 60_000 });
    const busy = socket();
    const conn = table.admit(busy)!;
    table.decided(conn);
    table.started(conn);
    expect(table.admit(socket())).toBeUndefined();
    expect(busy.wasDestroyed()).toBe(false);
    expect(table.inFlight).toBe(1);
    table.ended(conn);
    expect(table.admit(socket())).toBeDefined();
    expect(busy.wasDestroyed()).toBe(true);
  });

  it("closes a connection idle past the idle timeout when it has a closer", async () => {
    const table = createConnectionTable({ maxConnections: 5, idleTimeoutMs: 10 });
    let closed = 0;
    const conn = table.admit(socket())!;
    table.decided(conn, () => closed++);
    table.started(conn);
    await new Promise((r) => setTimeout(r, 30));
    expect(closed).toBe(0);
    table.ended(conn);
    await new Promise((r) => setTimeout(r, 30));
    expect(closed).toBe(1);
  });
});
