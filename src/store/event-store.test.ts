import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { actionAdded, actionChanged, actionDeactivated, caller, orgAdded, triggerActionsSet } from "../../test/support/events.js";
import { actionErrors } from "../domain/action-errors.js";
import { DomainError } from "../domain/errors.js";
import type { EventStore, EventTransaction } from "../event/event-store.js";
import type { NewEvent, StoredEvent, UniqueConstraint } from "../event/events.js";
import { createEventStore, eventTransaction } from "./event-store.js";
import type { Sql, SqlDatabase } from "./sql.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";
import { migrations } from "./sqlite/migrations.js";

const now = new Date("2026-03-04T05:06:07.000Z");

let opened: SqlDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.map((db) => db.close()));
  opened = [];
});

function open(file = ":memory:"): { db: SqlDatabase; store: EventStore } {
  const db = openSqliteDatabase(file);
  opened.push(db);
  return { db, store: createEventStore(db, () => now) };
}

/** Runs `fn` with the event operations and the raw SQL of one transaction. */
const inTransaction = <T>(db: SqlDatabase, fn: (events: EventTransaction, tx: Sql) => Promise<T>) =>
  db.transaction((tx) => fn(eventTransaction(tx, () => now), tx));

const append = (store: EventStore, ...events: NewEvent[]) => store.transact((tx) => tx.append(events));
const positions = async (db: Sql) => (await db.all<{ position: number }>("SELECT position FROM events ORDER BY position")).map((r) => r.position);
const keys = async (db: Sql) =>
  (await db.all<{ kind: string; key: string }>("SELECT kind, key FROM unique_constraints ORDER BY kind, key")).map((r) => `${r.kind}/${r.key}`);
const countStatements = { actions: "SELECT COUNT(*) AS n FROM actions", orgs: "SELECT COUNT(*) AS n FROM orgs" };
const count = async (db: Sql, table: keyof typeof countStatements) => Number((await db.get<{ n: number }>(countStatements[table]))!.n);

/** Writes an event at `sequence` as another writer would, bypassing the event transaction. */
function insertBehindItsBack(tx: Sql, event: NewEvent, sequence: number): Promise<number> {
  return tx.run(
    `INSERT INTO events (aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at)
     VALUES (@aggregateType, @aggregateId, @sequence, @type, @payload, @resourceOwner, @creator, 0)`,
    { ...event, sequence, payload: JSON.stringify(event.payload) },
  );
}

/** `event` with exactly these unique constraints. */
const taking = (event: NewEvent, ...constraints: UniqueConstraint[]): NewEvent => ({ ...event, uniqueConstraints: constraints });
const add = (key: string, kind = "test_key"): UniqueConstraint => ({ op: "add", kind, key, conflict: actionErrors.nameTaken });
const remove = (key: string, kind = "test_key"): UniqueConstraint => ({ op: "remove", kind, key });

describe("sequences and positions", () => {
  it("numbers each aggregate's events from 1, and the log gap-free across aggregates", async () => {
    const { store } = open();
    const first = await append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { script: "x" }), actionAdded("a2", { name: "b" }));
    const second = await append(store, actionDeactivated("a1"));
    const summary = [...first, ...second].map((e) => [e.aggregateId, e.sequence, e.position]);
    expect(summary).toEqual([["a1", 1, 1], [caller.orgId, 1, 2], ["a1", 2, 3], ["a2", 1, 4], ["a1", 3, 5]]);
    expect(second[0]!.createdAt).toEqual(now);
  });

  it("keeps the sequences of equal ids of different aggregate types apart", async () => {
    const { store } = open();
    const [action, org] = await append(store, actionAdded("same"), orgAdded({ orgId: "same", subject: "s" }));
    expect([action!.sequence, org!.sequence]).toEqual([1, 1]);
  });

  it("reads an aggregate back in sequence order, as it was stored", async () => {
    const { store } = open();
    const stored = await append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { timeoutNs: 7, allowedToFail: true }));
    const read = await store.transact(async (tx) => [await tx.readAggregate("action", "a1"), await tx.readAggregate("action", "nope")]);
    expect(read).toEqual([[stored[0], stored[2]], []]);
  });

  describe("optimistic concurrency", () => {
    const reads: [string, (events: EventTransaction) => Promise<unknown>][] = [
      ["read all of its events", (events) => events.readAggregate("action", "a1")],
      ["read after a snapshot at its last sequence", (events) => events.readAggregate("action", "a1", 1)],
    ];
    for (const [how, read] of reads) {
      it(`appends after the sequence it ${how}, and continues from there`, async () => {
        const { db, store } = open();
        await append(store, actionAdded("a1"));
        const appended = await inTransaction(db, async (events) => {
          await read(events);
          return [...(await events.append([actionDeactivated("a1")])), ...(await events.append([actionChanged("a1", { script: "x" })]))];
        });
        expect(appended.map((e) => e.sequence)).toEqual([2, 3]);
      });

      it(`refuses an append when another writer wrote after the sequence it ${how}`, async () => {
        const { db, store } = open();
        await append(store, actionAdded("a1"));
        // On SQLite transactions never interleave; the write another node's transaction would commit is made here, inside this one.
        const decided = inTransaction(db, async (events, tx) => {
          await read(events);
          await insertBehindItsBack(tx, actionChanged("a1", { script: "theirs" }), 2);
          return events.append([actionChanged("a1", { script: "mine" })]);
        });
        await expect(decided).rejects.toThrow(/UNIQUE constraint failed: events\.aggregate_type, events\.aggregate_id, events\.sequence/);
        expect(await positions(db)).toEqual([1]);
      });
    }

    it("appends to an aggregate it never read after its highest sequence", async () => {
      const { db, store } = open();
      await append(store, actionAdded("a1"));
      const appended = await inTransaction(db, async (events, tx) => {
        await insertBehindItsBack(tx, actionChanged("a1", { script: "theirs" }), 2);
        return events.append([actionDeactivated("a1"), actionChanged("a1", { script: "mine" })]);
      });
      expect(appended.map((e) => e.sequence)).toEqual([3, 4]);
    });
  });

  describe("with two connections to one file", () => {
    let dir: string | undefined;
    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
    const twoConnections = () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-event-store-"));
      const file = path.join(dir, "events.db");
      return [open(file), open(file)] as const;
    };

    it("continues an aggregate's sequence another connection wrote", async () => {
      const [a, b] = twoConnections();
      await append(a.store, actionAdded("a1"));
      const [changed] = await append(b.store, actionChanged("a1", { script: "y" }));
      expect(changed!.sequence).toBe(2);
      const read = await a.store.transact((tx) => tx.readAggregate("action", "a1"));
      expect(read.map((e) => e.type)).toEqual(["action.added", "action.changed"]);
    });

    it("keeps other writers out of a whole transaction, its reads included: they wait until it ends", async () => {
      const [a, b] = twoConnections();
      // No busy handler: b waits in the adapter's async pauses, so this test's event loop keeps turning.
      await b.db.get("PRAGMA busy_timeout = 0");
      let waiting: Promise<StoredEvent[]> | undefined;
      let settled = false;
      await a.store.transact(async (tx) => {
        await tx.readAggregate("action", "a1");
        waiting = append(b.store, actionChanged("a1", { script: "z" })).finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(settled).toBe(false);
        return tx.append([actionAdded("a1")]);
      });
      // b began after a committed, so it appends after a's event.
      expect((await waiting!)[0]!.sequence).toBe(2);
    });
  });
});

describe("unique constraints", () => {
  it("refuses a key taken before with the add's conflict error", async () => {
    const { db, store } = open();
    await append(store, taking(orgAdded(), add("k")));
    await expect(append(store, taking(actionAdded("a1"), add("k")))).rejects.toThrow(DomainError);
    await expect(append(store, taking(actionAdded("a1"), add("k")))).rejects.toThrow(actionErrors.nameTaken().message);
    expect(await positions(db)).toEqual([1]);
  });

  it("refuses a taken key with a plain error when the add names no conflict", async () => {
    const { store } = open();
    await append(store, taking(orgAdded(), add("k")));
    await expect(append(store, taking(actionAdded("a1"), { op: "add", kind: "test_key", key: "k" }))).rejects.toThrow(
      "unique constraint test_key violated",
    );
  });

  it("keeps keys of different kinds apart", async () => {
    const { db, store } = open();
    await append(store, taking(orgAdded(), add("k", "one")), taking(actionAdded("a1"), add("k", "two")));
    expect(await keys(db)).toEqual(["one/k", "two/k"]);
  });

  it("releases a key on remove, so that it can be taken again", async () => {
    const { db, store } = open();
    await append(store, taking(actionAdded("a1"), add("k")));
    await append(store, taking(actionChanged("a1", { name: "b" }), remove("k"), add("other")));
    expect(await keys(db)).toEqual(["test_key/other"]);
    await append(store, taking(actionAdded("a2"), add("k")));
    expect(await keys(db)).toEqual(["test_key/k", "test_key/other"]);
  });
});

describe("one transaction: events, unique constraints and projections", () => {
  it("projects an event before the transaction ends, for its reads to see", async () => {
    const { db } = open();
    const seen = await inTransaction(db, async (events, tx) => {
      await events.append([actionAdded("a1")]);
      return {
        row: await tx.get("SELECT name, state, sequence FROM actions WHERE id = ?", ["a1"]),
        events: (await events.readAggregate("action", "a1")).length,
      };
    });
    expect(seen).toEqual({ row: { name: "enrich", state: "active", sequence: 1 }, events: 1 });
  });

  it("keeps nothing of an append when a later event's key is taken", async () => {
    const { db, store } = open();
    await append(store, taking(orgAdded({ orgId: "o0", subject: "s" }), add("taken")));
    const appendAll = append(store, taking(actionAdded("a1"), add("free")), orgAdded(), taking(actionAdded("a2", { name: "b" }), add("taken")));
    await expect(appendAll).rejects.toThrow(DomainError);
    expect({ events: await positions(db), actions: await count(db, "actions"), orgs: await count(db, "orgs"), keys: await keys(db) }).toEqual({
      events: [1],
      actions: 0,
      orgs: 1,
      keys: ["test_key/taken"],
    });
  });

  it("keeps neither the event nor its keys when its projection fails", async () => {
    const { db, store } = open();
    await append(store, orgAdded());
    // The org's second org.added gets sequence 2, but its projection row's primary key is taken.
    await expect(append(store, taking(actionAdded("a1"), add("k1")), taking(orgAdded(), add("k2")))).rejects.toThrow(
      /UNIQUE constraint failed: orgs.id/,
    );
    expect({ events: await positions(db), actions: await count(db, "actions"), keys: await keys(db) }).toEqual({ events: [1], actions: 0, keys: [] });
    expect((await append(store, actionAdded("a1")))[0]!.position).toBe(2);
  });

  it("keeps nothing when the transaction's function throws after appending", async () => {
    const { db, store } = open();
    const decideOtherwise = store.transact(async (tx) => {
      await tx.append([taking(actionAdded("a1"), add("k"))]);
      throw new Error("changed my mind");
    });
    await expect(decideOtherwise).rejects.toThrow("changed my mind");
    expect({ events: await positions(db), actions: await count(db, "actions"), keys: await keys(db) }).toEqual({ events: [], actions: 0, keys: [] });
  });
});

describe("reads after a sequence, and snapshots", () => {
  it("reads only the aggregate's events after the given sequence", async () => {
    const { store } = open();
    await append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { script: "x" }), actionDeactivated("a1"));
    const after = async (n: number) => (await store.transact((tx) => tx.readAggregate("action", "a1", n))).map((e) => e.sequence);
    expect([await after(0), await after(1), await after(3)]).toEqual([[1, 2, 3], [2, 3], []]);
  });

  it("saves, replaces and reads a snapshot per aggregate and name", async () => {
    const { store } = open();
    const state = { flows: [["2", [["4", ["a1"]]]]] };
    const read = () =>
      store.transact((tx) =>
        Promise.all([tx.readSnapshot("org", "o1", "flows.v1"), tx.readSnapshot("org", "o1", "other"), tx.readSnapshot("action", "o1", "flows.v1")]),
      );
    await store.transact((tx) => tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 3, state: { old: true } }));
    await store.transact((tx) => tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 5, state }));
    expect(await read()).toEqual([{ sequence: 5, state }, undefined, undefined]);
  });

  it("keeps no snapshot of a transaction that throws", async () => {
    const { store } = open();
    const decideOtherwise = store.transact(async (tx) => {
      await tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 1, state: {} });
      throw new Error("changed my mind");
    });
    await expect(decideOtherwise).rejects.toThrow("changed my mind");
    expect(await store.transact((tx) => tx.readSnapshot("org", "o1", "flows.v1"))).toBeUndefined();
  });

  describe("on a database written before snapshots existed", () => {
    let dir: string | undefined;
    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it("adds the table on open, and keeps the aggregates' events", async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-event-store-"));
      const file = path.join(dir, "events.db");
      const old = new Database(file);
      migrations.slice(0, 2).forEach((sql) => old.exec(sql));
      old.pragma("user_version = 2");
      const { payload, ...set } = triggerActionsSet("2", "4", ["a1"]);
      old.prepare(
        `INSERT INTO events (aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at)
         VALUES (@aggregateType, @aggregateId, 1, @type, @payload, @resourceOwner, @creator, 0)`,
      ).run({ ...set, payload: JSON.stringify(payload) });
      old.close();

      const { db, store } = open(file);
      expect(await db.get("PRAGMA user_version")).toEqual({ user_version: migrations.length });
      await store.transact((tx) => tx.saveSnapshot("org", caller.orgId, "flows.v1", { sequence: 1, state: [] }));
      const read = await store.transact((tx) => tx.readAggregate("org", caller.orgId));
      expect(read.map((e) => e.payload)).toEqual([payload]);
    });
  });
});
