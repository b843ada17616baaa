import { findFlowType, findTriggerType, flowHasTrigger } from "../domain/flow.js";
import { flowErrors } from "../domain/flow-errors.js";
import type { EventTransaction } from "../event/event-store.js";
import type { NewEvent } from "../event/events.js";
import { actionExistsIn, actionModel } from "./action-state.js";
import type { Caller } from "../domain/caller.js";
import { type CommandDeps, type WriteDetails, detailsOf } from "./command-context.js";
import { flowsModel } from "./flow-state.js";
import { loadAggregate } from "./write-model.js";

type OrgNewEvent = Extract<NewEvent, { aggregateType: "org" }>;

function envelope(caller: Caller) {
  return { aggregateType: "org", aggregateId: caller.orgId, resourceOwner: caller.orgId, creator: caller.subject } as const;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Replaces a trigger's ordered list of actions; an empty list clears the trigger. */
export async function setTriggerActions(
  deps: CommandDeps,
  caller: Caller,
  input: { flowType: string; triggerType: string; actionIds: string[] },
): Promise<WriteDetails> {
  const flow = findFlowType(input.flowType);
  const trigger = findTriggerType(input.triggerType);
  if (!flow || !trigger) throw flowErrors.flowTypeMissingOnSet();
  if (!flowHasTrigger(flow, trigger.id)) throw flowErrors.wrongTriggerType();
  if (new Set(input.actionIds).size !== input.actionIds.length) throw flowErrors.actionIdsNotExist();
  return deps.store.transact(async (tx) => {
    const flows = await loadAggregate(tx, flowsModel, caller.orgId);
    const current = flows.get(flow.id)?.get(trigger.id) ?? [];
    if (sameList(current, input.actionIds)) throw flowErrors.noChanges();
    for (const id of input.actionIds) {
      if (!actionExistsIn(await loadAggregate(tx, actionModel, id), caller.orgId)) {
        throw flowErrors.actionIdsNotExist();
      }
    }
    const event: OrgNewEvent = {
      ...envelope(caller),
      type: "org.flow.trigger_actions.set",
      payload: { flowType: flow.id, triggerType: trigger.id, actionIds: [...input.actionIds] },
    };
    return detailsOf(await tx.append([event]));
  });
}

export async function clearFlow(deps: CommandDeps, caller: Caller, flowType: string): Promise<WriteDetails> {
  const flow = findFlowType(flowType);
  if (!flow) throw flowErrors.flowTypeMissingOnClear();
  return deps.store.transact(async (tx) => {
    const flows = await loadAggregate(tx, flowsModel, caller.orgId);
    if (!flows.has(flow.id)) throw flowErrors.alreadyEmpty();
    return detailsOf(await tx.append([{ ...envelope(caller), type: "org.flow.cleared", payload: { flowType: flow.id } }]));
  });
}

/** One cascade event per flow that uses the action, for DeleteAction's transaction. */
export async function removedFromFlowsEvents(tx: EventTransaction, caller: Caller, actionId: string): Promise<OrgNewEvent[]> {
  const flows = await loadAggregate(tx, flowsModel, caller.orgId);
  const events: OrgNewEvent[] = [];
  for (const [flowType, triggers] of flows) {
    if ([...triggers.values()].some((ids) => ids.includes(actionId))) {
      events.push({
        ...envelope(caller),
        type: "org.flow.trigger_actions.cascade.removed",
        payload: { flowType, actionId },
      });
    }
  }
  return events;
}
