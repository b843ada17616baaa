import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caller, fields, otherCaller, triggerActionsSet } from "../../test/support/events.js";
import type { EventStore } from "../event/event-store.js";
import type { AggregateType } from "../event/events.js";
import { createEventStore } from "../store/event-store.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { addAction, changeAction, removeAction } from "./action-commands.js";
import type { CommandDeps } from "./command-context.js";
import { clearFlow, setTriggerActions } from "./flow-commands.js";
import { addOrg } from "./org-commands.js";
import { snapshotEvery } from "./write-model.js";

interface Read {
  aggregate: `${AggregateType}/${string}`;
  events: number;
}

/** The store, recording each aggregate read and how many events it returned. */
function spying(store: EventStore, reads: Read[]): EventStore {
  return {
    transact: (fn) =>
      store.transact((tx) =>
        fn({
          ...tx,
          async readAggregate(type, id, afterSequence) {
            const events = await tx.readAggregate(type, id, afterSequence);
            reads.push({ aggregate: `${type}/${id}`, events: events.length });
            return events;
          },
        }),
      ),
  };
}

/** An org aggregate (caller's) with a long history of every kind, written through the commands. */
async function longHistory(deps: CommandDeps): Promise<[string, string]> {
  await addOrg(deps, "cli", "org");
  const a1 = (await addAction(deps, caller, fields)).id;
  const a2 = (await addAction(deps, caller, { ...fields, name: "other" })).id;
  for (let n = 0; n < 100; n++) {
    const { id } = await addAction(deps, caller, { ...fields, name: `unrelated ${n}` });
    await changeAction(deps, caller, id, { ...fields, name: `unrelated ${n}`, script: "changed" });
    await addAction(deps, otherCaller, { ...fields, name: `elsewhere ${n}` });
  }
  for (let n = 0; n < 200; n++) {
    await setTriggerActions(deps, caller, { flowType: "2", triggerType: "4", actionIds: n % 2 ? [a1] : [a2, a1] });
  }
  return [a1, a2];
}

describe("what a write reads, however long the org's history", () => {
  let db: SqlDatabase;
  let deps: CommandDeps;
  let reads: Read[];
  let a1: string;
  let a2: string;
  beforeEach(async () => {
    let next = 0;
    db = openSqliteDatabase(":memory:");
    const store = createEventStore(db);
    [a1, a2] = await longHistory({ store, newId: () => `id-${next++}` });
    reads = [];
    deps = { store: spying(store, reads), newId: () => `id-${next++}` };
  });
  afterEach(() => db.close());
  const orgReadIsShort = () => expect(reads.find((r) => r.aggregate === `org/${caller.orgId}`)!.events).toBeLessThanOrEqual(snapshotEvery);

  it("SetTriggerActions reads the org's flows and the listed actions only", async () => {
    await setTriggerActions(deps, caller, { flowType: "3", triggerType: "1", actionIds: [a2, a1] });
    expect(reads.map((r) => r.aggregate)).toEqual([`org/${caller.orgId}`, `action/${a2}`, `action/${a1}`]);
    orgReadIsShort();
  });

  it("ClearFlow reads the org's flows only", async () => {
    await clearFlow(deps, caller, "2");
    expect(reads.map((r) => r.aggregate)).toEqual([`org/${caller.orgId}`]);
    orgReadIsShort();
  });

  it("DeleteAction reads its action and the org's flows only, for the cascade", async () => {
    await removeAction(deps, caller, a1);
    expect(reads.map((r) => r.aggregate)).toEqual([`action/${a1}`, `org/${caller.orgId}`]);
    orgReadIsShort();
  });

  it("folds a history without snapshots once, as after an upgrade, and only the new events after that", async () => {
    await deps.store.transact((tx) => tx.append(Array.from({ length: 300 }, () => triggerActionsSet("3", "1", [a1]))));
    for (const actionIds of [[a2], [a1], [a2]]) await setTriggerActions(deps, caller, { flowType: "3", triggerType: "1", actionIds });
    const [first, ...then] = reads.filter((r) => r.aggregate.startsWith("org/")).map((r) => r.events);
    expect(first).toBeGreaterThanOrEqual(300);
    expect(then).toEqual([1, 2]);
  });
});
