import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { actionAdded, actionChanged, actionDeactivated, caller, orgAdded, triggerActionsSet } from "../../test/support/events.js";
import { actionErrors } from "../domain/action-errors.js";
import { DomainError } from "../domain/errors.js";
import type { EventStore } from "../event/event-store.js";
import type { NewEvent, UniqueConstraint } from "../event/events.js";
import { type Db, openDatabase } from "./database.js";
import { migrations } from "./migrations.js";
import { createSqliteEventStore } from "./sqlite-event-store.js";

const now = new Date("2026-03-04T05:06:07.000Z");

function open(file = ":memory:"): { db: Db; store: EventStore } {
  const db = openDatabase(file);
  return { db, store: createSqliteEventStore(db, () => now) };
}

const append = (store: EventStore, ...events: NewEvent[]) => store.transact((tx) => tx.append(events));
const positions = (db: Db) => db.prepare("SELECT position FROM events ORDER BY position").pluck().all();
const keys = (db: Db) => db.prepare("SELECT kind || '/' || key FROM unique_constraints ORDER BY 1").pluck().all();
const count = (db: Db, table: "actions" | "orgs") => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();

/** `event` with exactly these unique constraints. */
const taking = (event: NewEvent, ...constraints: UniqueConstraint[]): NewEvent => ({ ...event, uniqueConstraints: constraints });
const add = (key: string, kind = "test_key"): UniqueConstraint => ({ op: "add", kind, key, conflict: actionErrors.nameTaken });
const remove = (key: string, kind = "test_key"): UniqueConstraint => ({ op: "remove", kind, key });

describe("sequences and positions", () => {
  it("numbers each aggregate's events from 1, and the log gap-free across aggregates", () => {
    const { store } = open();
    const first = append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { script: "x" }), actionAdded("a2", { name: "b" }));
    const second = append(store, actionDeactivated("a1"));
    const summary = [...first, ...second].map((e) => [e.aggregateId, e.sequence, e.position]);
    expect(summary).toEqual([["a1", 1, 1], [caller.orgId, 1, 2], ["a1", 2, 3], ["a2", 1, 4], ["a1", 3, 5]]);
    expect(second[0]!.createdAt).toEqual(now);
  });

  it("keeps the sequences of equal ids of different aggregate types apart", () => {
    const { store } = open();
    const [action, org] = append(store, actionAdded("same"), orgAdded({ orgId: "same", subject: "s" }));
    expect([action!.sequence, org!.sequence]).toEqual([1, 1]);
  });

  it("reads an aggregate back in sequence order, as it was stored", () => {
    const { store } = open();
    const stored = append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { timeoutNs: 7, allowedToFail: true }));
    const read = store.transact((tx) => [tx.readAggregate("action", "a1"), tx.readAggregate("action", "nope")]);
    expect(read).toEqual([[stored[0], stored[2]], []]);
  });

  describe("with two connections to one file", () => {
    let dir: string | undefined;
    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
    const twoConnections = () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-event-store-"));
      const file = path.join(dir, "events.db");
      return [open(file), open(file)] as const;
    };

    it("continues an aggregate's sequence another connection wrote", () => {
      const [a, b] = twoConnections();
      append(a.store, actionAdded("a1"));
      const [changed] = append(b.store, actionChanged("a1", { script: "y" }));
      expect(changed!.sequence).toBe(2);
      expect(a.store.transact((tx) => tx.readAggregate("action", "a1")).map((e) => e.type)).toEqual(["action.added", "action.changed"]);
    });

    it("keeps other writers out of a whole transaction, its reads included", () => {
      const [a, b] = twoConnections();
      b.db.pragma("busy_timeout = 0");
      a.store.transact((tx) => {
        tx.readAggregate("action", "a1");
        expect(() => append(b.store, actionAdded("a1"))).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
        return tx.append([actionAdded("a1")]);
      });
      expect(append(b.store, actionChanged("a1", { script: "z" }))[0]!.sequence).toBe(2);
    });
  });
});

describe("unique constraints", () => {
  it("refuses a key taken before with the add's conflict error", () => {
    const { db, store } = open();
    append(store, taking(orgAdded(), add("k")));
    expect(() => append(store, taking(actionAdded("a1"), add("k")))).toThrow(DomainError);
    expect(() => append(store, taking(actionAdded("a1"), add("k")))).toThrow(actionErrors.nameTaken().message);
    expect(positions(db)).toEqual([1]);
  });

  it("refuses a taken key with a plain error when the add names no conflict", () => {
    const { store } = open();
    append(store, taking(orgAdded(), add("k")));
    expect(() => append(store, taking(actionAdded("a1"), { op: "add", kind: "test_key", key: "k" }))).toThrow(
      "unique constraint test_key violated",
    );
  });

  it("keeps keys of different kinds apart", () => {
    const { db, store } = open();
    append(store, taking(orgAdded(), add("k", "one")), taking(actionAdded("a1"), add("k", "two")));
    expect(keys(db)).toEqual(["one/k", "two/k"]);
  });

  it("releases a key on remove, so that it can be taken again", () => {
    const { db, store } = open();
    append(store, taking(actionAdded("a1"), add("k")));
    append(store, taking(actionChanged("a1", { name: "b" }), remove("k"), add("other")));
    expect(keys(db)).toEqual(["test_key/other"]);
    append(store, taking(actionAdded("a2"), add("k")));
    expect(keys(db)).toEqual(["test_key/k", "test_key/other"]);
  });
});

describe("one transaction: events, unique constraints and projections", () => {
  it("projects an event before the transaction ends, for its reads to see", () => {
    const { db, store } = open();
    const seen = store.transact((tx) => {
      tx.append([actionAdded("a1")]);
      return {
        row: db.prepare("SELECT name, state, sequence FROM actions WHERE id = ?").get("a1"),
        events: tx.readAggregate("action", "a1").length,
      };
    });
    expect(seen).toEqual({ row: { name: "enrich", state: "active", sequence: 1 }, events: 1 });
  });

  it("keeps nothing of an append when a later event's key is taken", () => {
    const { db, store } = open();
    append(store, taking(orgAdded({ orgId: "o0", subject: "s" }), add("taken")));
    const appendAll = () =>
      append(store, taking(actionAdded("a1"), add("free")), orgAdded(), taking(actionAdded("a2", { name: "b" }), add("taken")));
    expect(appendAll).toThrow(DomainError);
    expect({ events: positions(db), actions: count(db, "actions"), orgs: count(db, "orgs"), keys: keys(db) }).toEqual({
      events: [1],
      actions: 0,
      orgs: 1,
      keys: ["test_key/taken"],
    });
  });

  it("keeps neither the event nor its keys when its projection fails", () => {
    const { db, store } = open();
    append(store, orgAdded());
    // The org's second org.added gets sequence 2, but its projection row's primary key is taken.
    expect(() => append(store, taking(actionAdded("a1"), add("k1")), taking(orgAdded(), add("k2")))).toThrow(/UNIQUE constraint failed: orgs.id/);
    expect({ events: positions(db), actions: count(db, "actions"), keys: keys(db) }).toEqual({ events: [1], actions: 0, keys: [] });
    expect(append(store, actionAdded("a1"))[0]!.position).toBe(2);
  });

  it("keeps nothing when the transaction's function throws after appending", () => {
    const { db, store } = open();
    const decideOtherwise = () =>
      store.transact((tx) => {
        tx.append([taking(actionAdded("a1"), add("k"))]);
        throw new Error("changed my mind");
      });
    expect(decideOtherwise).toThrow("changed my mind");
    expect({ events: positions(db), actions: count(db, "actions"), keys: keys(db) }).toEqual({ events: [], actions: 0, keys: [] });
  });
});

describe("reads after a sequence, and snapshots", () => {
  it("reads only the aggregate's events after the given sequence", () => {
    const { store } = open();
    append(store, actionAdded("a1"), orgAdded(), actionChanged("a1", { script: "x" }), actionDeactivated("a1"));
    const after = (n: number) => store.transact((tx) => tx.readAggregate("action", "a1", n)).map((e) => e.sequence);
    expect([after(0), after(1), after(3)]).toEqual([[1, 2, 3], [2, 3], []]);
  });

  it("saves, replaces and reads a snapshot per aggregate and name", () => {
    const { store } = open();
    const state = { flows: [["2", [["4", ["a1"]]]]] };
    const read = () =>
      store.transact((tx) => [tx.readSnapshot("org", "o1", "flows.v1"), tx.readSnapshot("org", "o1", "other"), tx.readSnapshot("action", "o1", "flows.v1")]);
    store.transact((tx) => tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 3, state: { old: true } }));
    store.transact((tx) => tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 5, state }));
    expect(read()).toEqual([{ sequence: 5, state }, undefined, undefined]);
  });

  it("keeps no snapshot of a transaction that throws", () => {
    const { store } = open();
    const decideOtherwise = () =>
      store.transact((tx) => {
        tx.saveSnapshot("org", "o1", "flows.v1", { sequence: 1, state: {} });
        throw new Error("changed my mind");
      });
    expect(decideOtherwise).toThrow("changed my mind");
    expect(store.transact((tx) => tx.readSnapshot("org", "o1", "flows.v1"))).toBeUndefined();
  });

  describe("on a database written before snapshots existed", () => {
    let dir: string | undefined;
    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it("adds the table on open, and keeps the aggregates' events", () => {
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
      expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
      store.transact((tx) => tx.saveSnapshot("org", caller.orgId, "flows.v1", { sequence: 1, state: [] }));
      expect(store.transact((tx) => tx.readAggregate("org", caller.orgId)).map((e) => e.payload)).toEqual([payload]);
    });
  });
});
