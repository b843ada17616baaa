import type { ActionFields } from "../domain/action.js";
import type { StoredEvent } from "./events.js";

/** One version of an action: its fields as a create or an update left them. */
export interface ActionVersion extends ActionFields {
  /** 1 for the create, then one more per update. */
  version: number;
  createdAt: Date;
  creator: string;
}

/**
 * The versions an action's events make, oldest first: `action.added` is
 * version 1 and each `action.changed` the next, with every field as it then
 * stood. The event log is the only store of versions; state changes
 * (deactivate, reactivate) and removal make none.
 */
export function actionVersionsOf(events: readonly StoredEvent[]): ActionVersion[] {
  const versions: ActionVersion[] = [];
  for (const event of events) {
    if (event.aggregateType !== "action") continue;
    if (event.type !== "action.added" && event.type !== "action.changed") continue;
    const before: ActionFields = versions.at(-1) ?? { name: "", script: "", timeoutNs: 0, allowedToFail: false };
    versions.push({ ...before, ...event.payload, version: versions.length + 1, createdAt: event.createdAt, creator: event.creator });
  }
  return versions;
}
