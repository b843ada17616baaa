import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../event/events.js";
import { type FlowsWriteModel, flowsModel } from "./flow-state.js";
import { foldEvents } from "./write-model.js";

const foldFlows = (events: StoredEvent[]): FlowsWriteModel => foldEvents(flowsModel, flowsModel.initial("o"), events);

let position = 0;
function orgEvent(type: string, payload: object): StoredEvent {
  position++;
  return {
    aggregateType: "org",
    aggregateId: "o",
    resourceOwner: "o",
    creator: "t",
    type,
    payload,
    position,
    sequence: position,
    createdAt: new Date(0),
  } as StoredEvent;
}

describe("foldFlows()", () => {
  it("replaces a trigger's list, drops empty triggers and flows, cascades removals", () => {
    const flows = foldFlows([
      orgEvent("org.flow.trigger_actions.set", { flowType: "2", triggerType: "4", actionIds: ["a", "b"] }),
      orgEvent("org.flow.trigger_actions.set", { flowType: "2", triggerType: "5", actionIds: ["b"] }),
      orgEvent("org.flow.trigger_actions.set", { flowType: "1", triggerType: "1", actionIds: ["a"] }),
      orgEvent("org.flow.trigger_actions.cascade.removed", { flowType: "2", actionId: "b" }),
      orgEvent("org.flow.cleared", { flowType: "1" }),
    ]);
    expect([...flows.keys()]).toEqual(["2"]);
    expect(Object.fromEntries(flows.get("2")!)).toEqual({ "4": ["a"] });
  });

  it("treats an empty list as clearing that trigger only", () => {
    const flows = foldFlows([
      orgEvent("org.flow.trigger_actions.set", { flowType: "2", triggerType: "4", actionIds: ["a"] }),
      orgEvent("org.flow.trigger_actions.set", { flowType: "2", triggerType: "5", actionIds: ["a"] }),
      orgEvent("org.flow.trigger_actions.set", { flowType: "2", triggerType: "4", actionIds: [] }),
    ]);
    expect(Object.fromEntries(flows.get("2")!)).toEqual({ "5": ["a"] });
  });
});
