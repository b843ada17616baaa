import type { StoredEvent } from "../event/events.js";
import type { WriteModel } from "./write-model.js";

/** The flows of one org: flow type -> trigger type -> ordered action ids. */
export type FlowsWriteModel = Map<string, Map<string, string[]>>;

export function evolveFlows(flows: FlowsWriteModel, event: StoredEvent): FlowsWriteModel {
  if (event.aggregateType !== "org") return flows;
  switch (event.type) {
    case "org.added":
      return flows;
    case "org.flow.trigger_actions.set": {
      const { flowType, triggerType, actionIds } = event.payload;
      const triggers = new Map(flows.get(flowType));
      if (actionIds.length === 0) triggers.delete(triggerType);
      else triggers.set(triggerType, [...actionIds]);
      return withFlow(flows, flowType, triggers);
    }
    case "org.flow.trigger_actions.cascade.removed": {
      const { flowType, actionId } = event.payload;
      const triggers = new Map<string, string[]>();
      for (const [trigger, ids] of flows.get(flowType) ?? []) {
        const kept = ids.filter((id) => id !== actionId);
        if (kept.length > 0) triggers.set(trigger, kept);
      }
      return withFlow(flows, flowType, triggers);
    }
    case "org.flow.cleared":
      return withFlow(flows, event.payload.flowType, new Map());
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function withFlow(flows: FlowsWriteModel, flowType: string, triggers: Map<string, string[]>): FlowsWriteModel {
  const next = new Map(flows);
  if (triggers.size === 0) next.delete(flowType);
  else next.set(flowType, triggers);
  return next;
}

type SavedFlows = [flowType: string, triggers: [triggerType: string, actionIds: string[]][]][];

/** The flows, folded from the org aggregate's events. */
export const flowsModel: WriteModel<FlowsWriteModel> = {
  aggregateType: "org",
  snapshotName: "flows.v1",
  initial: () => new Map(),
  evolve: evolveFlows,
  toSnapshot: (flows): SavedFlows => [...flows].map(([flowType, triggers]) => [flowType, [...triggers]]),
  fromSnapshot: (saved) => new Map((saved as SavedFlows).map(([flowType, triggers]) => [flowType, new Map(triggers)])),
};
