import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  actionAdded,
  actionChanged,
  actionDeactivated,
  actionReactivated,
  actionRemoved,
  flowCleared,
  removedFromFlow,
  triggerActionsSet,
} from "../../test/support/events.js";
import { flowTypes } from "../domain/flow.js";
import type { EventStore, EventTransaction } from "../event/event-store.js";
import type { NewEvent } from "../event/events.js";
import { createEventStore } from "../store/event-store.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { actionModel } from "./action-state.js";
import { flowsModel } from "./flow-state.js";
import { type WriteModel, foldEvents, loadAggregate, snapshotEvery } from "./write-model.js";

/** A deterministic generator (mulberry32), so that a failing history can be replayed from its seed. */
function random(seed: number) {
  let t = seed;
  const next = () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  return { next, below, pick };
}

const ids = ["x", "y", "z"];

/** Any org or action event; folds do not validate, so the history need not be one a command would write. */
function randomEvent({ below, pick }: ReturnType<typeof random>): NewEvent {
  const flow = pick(flowTypes);
  const events: (() => NewEvent)[] = [
    () => triggerActionsSet(flow.id, pick(flow.triggerTypeIds), ids.filter(() => below(2) === 0).sort(() => below(3) - 1)),
    () => triggerActionsSet(flow.id, pick(flow.triggerTypeIds), []),
    () => removedFromFlow(flow.id, pick(ids)),
    () => flowCleared(flow.id),
    () => actionChanged("a1", { script: `s${below(100)}`, timeoutNs: below(3), allowedToFail: below(2) === 0 }),
    () => actionDeactivated("a1"),
    () => actionReactivated("a1"),
    () => actionRemoved("a1"),
  ];
  return pick(events)();
}

/** What the model's state is after every one of the aggregate's events, folded from the first. */
async function fullFold<S>(tx: EventTransaction, model: WriteModel<S>, id: string): Promise<S> {
  return foldEvents(model, model.initial(id), await tx.readAggregate(model.aggregateType, id));
}

async function check<S>(store: EventStore, model: WriteModel<S>, id: string): Promise<void> {
  const [loaded, folded] = await store.transact(async (tx) => [await loadAggregate(tx, model, id), await fullFold(tx, model, id)]);
  expect(loaded).toEqual(folded);
  // toEqual ignores a Map's order, but DeleteAction's cascade events follow the flows' order.
  if (loaded instanceof Map) expect([...loaded.keys()]).toEqual([...(folded as Map<unknown, unknown>).keys()]);
}

describe("loadAggregate()", () => {
  let db: SqlDatabase;
  let store: EventStore;
  beforeEach(() => {
    db = openSqliteDatabase(":memory:");
    store = createEventStore(db);
  });
  afterEach(() => db.close());

  for (let seed = 1; seed <= 12; seed++) {
    it(`agrees with a full fold after every step of random history ${seed}, whatever snapshots it saved`, async () => {
      const rand = random(seed);
      await store.transact((tx) => tx.append([{ ...actionAdded("a1"), uniqueConstraints: [] }]));
      for (let step = 0; step < 50; step++) {
        const batch = Array.from({ length: 1 + rand.below(snapshotEvery * 2) }, () => randomEvent(rand));
        await store.transact((tx) => tx.append(batch.map((e) => ({ ...e, uniqueConstraints: [] }))));
        if (rand.next() < 0.5) await check(store, flowsModel, "org-1");
        if (rand.next() < 0.5) await check(store, actionModel, "a1");
      }
      await check(store, flowsModel, "org-1");
      await check(store, actionModel, "a1");
    });
  }

  it("reads only the events after the snapshot, and saves one once it has folded snapshotEvery events", async () => {
    const setMany = (n: number) =>
      store.transact((tx) => tx.append(Array.from({ length: n }, (_, i) => triggerActionsSet("2", "4", [ids[i % 3]!]))));
    const load = () =>
      store.transact(async (tx) => {
        const snapshot = await tx.readSnapshot("org", "org-1", flowsModel.snapshotName);
        const events = (await tx.readAggregate("org", "org-1", snapshot?.sequence ?? 0)).length;
        await loadAggregate(tx, flowsModel, "org-1");
        return { events, savedAt: (await tx.readSnapshot("org", "org-1", flowsModel.snapshotName))?.sequence };
      });

    await setMany(snapshotEvery - 1);
    expect(await load()).toEqual({ events: snapshotEvery - 1, savedAt: undefined });
    await setMany(1);
    expect(await load()).toEqual({ events: snapshotEvery, savedAt: snapshotEvery });
    await setMany(3);
    expect(await load()).toEqual({ events: 3, savedAt: snapshotEvery });
    await setMany(500);
    expect(await load()).toEqual({ events: 503, savedAt: snapshotEvery + 503 });
    expect(await load()).toEqual({ events: 0, savedAt: snapshotEvery + 503 });
  });

  it("ignores a snapshot of another name, as after the model's state changes shape", async () => {
    await store.transact(async (tx) => {
      await tx.append([triggerActionsSet("2", "4", ["x"])]);
      await tx.saveSnapshot("org", "org-1", "flows.v0", { sequence: 1, state: "an older shape" });
    });
    const flows = await store.transact((tx) => loadAggregate(tx, flowsModel, "org-1"));
    expect(flowsModel.toSnapshot(flows)).toEqual([["2", [["4", ["x"]]]]]);
  });
});
