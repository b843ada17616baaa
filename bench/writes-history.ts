/** The org histories bench/writes.ts measures on: an empty org, and an org with a long history of each kind. */
import { addAction, changeAction } from "../src/command/action-commands.js";
import { addOrg } from "../src/command/org-commands.js";
import type { DataDir } from "../src/data-dir.js";
import type { Caller } from "../src/domain/caller.js";
import type { NewEvent } from "../src/event/events.js";

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
export function seed(dir: DataDir, history: History, events: number): { caller: Caller; actionIds: [string, string] } {
  const orgId = addOrg(dir.commands, "bench", "bench org");
  const caller = { orgId, subject: "bench" };
  const actionIds = [addAction(dir.commands, caller, fields("first")).id, addAction(dir.commands, caller, fields("second")).id] as [string, string];
  if (history === "actions") seedActions(dir, caller, events);
  if (history === "flows") seedFlows(dir, caller, actionIds, events);
  return { caller, actionIds };
}

/** CreateAction, then UpdateAction four times, through the commands: five events per action. */
function seedActions(dir: DataDir, caller: Caller, events: number): void {
  const seedBatch = dir.db.transaction((from: number) => {
    for (let n = from; n < Math.min(from + batch, events); n += 5) {
      const { id } = addAction(dir.commands, caller, fields(`unrelated_${n}`));
      for (let v = 1; v < 5; v++) changeAction(dir.commands, caller, id, { ...fields(`unrelated_${n}`), script: `${script} // ${v}` });
    }
  });
  for (let from = 0; from < events; from += batch) seedBatch(from);
}

/**
 * The events SetTriggerActions would have written, appended directly: folding
 * the whole org on each of 50k commands would make seeding quadratic.
 */
function seedFlows(dir: DataDir, caller: Caller, [a1, a2]: [string, string], events: number): void {
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
    dir.commands.store.transact((tx) => tx.append(appended));
  }
}
