/** The org histories bench/writes.ts measures on: an empty org, and an org with a long history of each kind. */
import { addAction, changeAction } from "../src/command/action-commands.js";
import { addOrg } from "../src/command/org-commands.js";
import type { DataDir } from "../src/data-dir.js";
import type { Caller } from "../src/domain/caller.js";
import type { NewEvent } from "../src/event/events.js";
import { eventStoreIn } from "../src/store/event-store.js";

export type History = "empty" | "actions" | "flows";

export const historyNames: Record<History, string> = {
  empty: "empty org",
  actions: "(a) org with many action writes",
  flows: "(b) org with many flow writes",
};

/** Events per transaction while seeding, so that seeding 50k events takes seconds. */
const batch = 1_000;

const script = "function bench(ctx, api) {}";
const fields = (name: string) => ({ name, script, timeoutNs: 0, allowedToFail: false });

/**
 * Creates the org with two actions the measured writes use, then `events`
 * more events of the history's kind. Returns the caller and the two action ids.
 */
export async function seed(dir: DataDir, history: History, events: number): Promise<{ caller: Caller; actionIds: [string, string] }> {
  const orgId = await addOrg(dir.commands, "bench", "bench org");
  const caller = { orgId, subject: "bench" };
  const actionIds = [(await addAction(dir.commands, caller, fields("first"))).id, (await addAction(dir.commands, caller, fields("second"))).id] as [
    string,
    string,
  ];
  if (history === "actions") await seedActions(dir, caller, events);
  if (history === "flows") await seedFlows(dir, caller, actionIds, events);
  return { caller, actionIds };
}

/** CreateAction, then UpdateAction four times, through the commands: five events per action. */
async function seedActions(dir: DataDir, caller: Caller, events: number): Promise<void> {
  for (let from = 0; from < events; from += batch) {
    await dir.db.transaction(async (tx) => {
      const commands = { store: eventStoreIn(tx), newId: dir.commands.newId };
      for (let n = from; n < Math.min(from + batch, events); n += 5) {
        const { id } = await addAction(commands, caller, fields(`unrelated_${n}`));
        for (let v = 1; v < 5; v++) await changeAction(commands, caller, id, { ...fields(`unrelated_${n}`), script: `${script} // ${v}` });
      }
    });
  }
}

/**
 * The events SetTriggerActions would have written, appended directly: folding
 * the whole org on each of 50k commands would make seeding quadratic.
 */
async function seedFlows(dir: DataDir, caller: Caller, [a1, a2]: [string, string], events: number): Promise<void> {
  const lists = [[a1], [a2], [a1, a2], [a2, a1]];
  for (let from = 0; from < events; from += batch) {
    const appended: NewEvent[] = [];
    for (let n = from; n < Math.min(from + batch, events); n++) {
      appended.push({
        aggregateType: "org",
        aggregateId: caller.orgId,
        resourceOwner: caller.orgId,
        creator: caller.subject,
        type: "org.flow.trigger_actions.set",
        payload: { flowType: "2", triggerType: String(4 + (n % 2)), actionIds: lists[n % lists.length]! },
      });
    }
    await dir.commands.store.transact((tx) => tx.append(appended));
  }
}
