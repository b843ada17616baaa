import { describe, expect, it } from "vitest";
import { at, given, specNow } from "../../test/support/command-spec.js";
import {
  actionAdded,
  actionDeactivated,
  actionRemoved,
  caller,
  flowCleared,
  orgAdded,
  orgId,
  otherCaller,
  removedFromFlow,
  triggerActionsSet,
} from "../../test/support/events.js";
import type { DomainError } from "../domain/errors.js";
import { flowErrors } from "../domain/flow-errors.js";
import type { NewEvent } from "../event/events.js";
import type { CommandDeps } from "./command-context.js";
import { clearFlow, setTriggerActions } from "./flow-commands.js";
import { snapshotEvery } from "./write-model.js";

const set = (flowType: string, triggerType: string, actionIds: string[]) => (deps: CommandDeps) =>
  setTriggerActions(deps, caller, { flowType, triggerType, actionIds });
const clear = (flowType: string) => (deps: CommandDeps) => clearFlow(deps, caller, flowType);

const twoActions = [actionAdded("a1"), actionAdded("a2", { name: "other" })];

describe("setTriggerActions()", () => {
  it("appends the trigger's ordered action ids on the org aggregate", async () => {
    const details = await given(orgAdded(), ...twoActions)
      .when(set("2", "4", ["a2", "a1"]))
      .thenEvents(at(2, triggerActionsSet("2", "4", ["a2", "a1"])));
    expect(details).toEqual({ sequence: 2, eventDate: specNow, resourceOwner: orgId });
  });

  it("stores the ids of legacy flow and trigger names", async () => {
    await given(...twoActions)
      .when(set("FLOW_TYPE_EXTERNAL_AUTHENTICATION", "TRIGGER_TYPE_POST_CREATION", ["a1"]))
      .thenEvents(at(1, triggerActionsSet("1", "3", ["a1"])));
  });

  it("accepts an inactive action", async () => {
    await given(actionAdded("a1"), actionDeactivated("a1")).when(set("3", "1", ["a1"])).thenEvents(at(1, triggerActionsSet("3", "1", ["a1"])));
  });

  it("counts a new order as a change", async () => {
    await given(...twoActions, triggerActionsSet("2", "4", ["a1", "a2"]))
      .when(set("2", "4", ["a2", "a1"]))
      .thenEvents(at(2, triggerActionsSet("2", "4", ["a2", "a1"])));
  });

  it("clears one trigger with an empty list", async () => {
    await given(...twoActions, triggerActionsSet("2", "4", ["a1"]), triggerActionsSet("2", "5", ["a2"]))
      .when(set("2", "4", []))
      .thenEvents(at(3, triggerActionsSet("2", "4", [])));
  });

  it("decides the same after a history longer than a snapshot spans", async () => {
    const flowWrites = Array.from({ length: 2 * snapshotEvery }, (_, n) => triggerActionsSet("2", "4", n % 2 ? ["a1"] : ["a2", "a1"]));
    await given(...twoActions, ...flowWrites)
      .when(set("2", "4", ["a1", "a2"]))
      .thenEvents(at(2 * snapshotEvery + 1, triggerActionsSet("2", "4", ["a1", "a2"])));
    await given(...twoActions, ...flowWrites).when(set("2", "4", ["a1"])).thenThrows(flowErrors.noChanges);
  });

  const unchanged: [string, NewEvent[], string[]][] = [
    ["the trigger's current list", [...twoActions, triggerActionsSet("2", "4", ["a1", "a2"])], ["a1", "a2"]],
    ["an empty list for an empty trigger", [], []],
    ["an empty list for a trigger another org uses", [actionAdded("a1", {}, otherCaller), triggerActionsSet("2", "4", ["a1"], otherCaller)], []],
  ];
  for (const [what, history, ids] of unchanged) {
    it(`refuses ${what} as no change`, async () => {
      await given(...history).when(set("2", "4", ids)).thenThrows(flowErrors.noChanges);
    });
  }

  const badInput: [string, [string, string, string[]], () => DomainError][] = [
    ["an unknown flow type", ["9", "4", ["a1"]], flowErrors.flowTypeMissingOnSet],
    ["the unspecified flow type", ["0", "4", ["a1"]], flowErrors.flowTypeMissingOnSet],
    ["an unknown trigger type", ["2", "7", ["a1"]], flowErrors.flowTypeMissingOnSet],
    ["a trigger of another flow", ["2", "1", ["a1"]], flowErrors.wrongTriggerType],
    ["an action listed twice", ["2", "4", ["a1", "a2", "a1"]], flowErrors.actionIdsNotExist],
  ];
  for (const [what, [flowType, triggerType, ids], error] of badInput) {
    it(`refuses ${what}`, async () => {
      await given(...twoActions).when(set(flowType, triggerType, ids)).thenThrows(error);
    });
  }

  const notUsable: [string, NewEvent[]][] = [
    ["an unknown action", []],
    ["an action of another org", [actionAdded("a3", {}, otherCaller)]],
    ["a removed action", [actionAdded("a3", { name: "third" }), actionRemoved("a3", "third")]],
  ];
  for (const [what, history] of notUsable) {
    it(`refuses ${what} among the ids`, async () => {
      await given(...twoActions, ...history).when(set("2", "4", ["a1", "a3"])).thenThrows(flowErrors.actionIdsNotExist);
    });
  }
});

describe("clearFlow()", () => {
  it("appends org.flow.cleared for a flow with actions", async () => {
    const details = await given(orgAdded(), actionAdded("a1"), triggerActionsSet("2", "4", ["a1"]), triggerActionsSet("2", "5", ["a1"]))
      .when(clear("2"))
      .thenEvents(at(4, flowCleared("2")));
    expect(details).toEqual({ sequence: 4, eventDate: specNow, resourceOwner: orgId });
  });

  it("stores the id of a legacy flow name", async () => {
    await given(actionAdded("a1"), triggerActionsSet("1", "2", ["a1"]))
      .when(clear("FLOW_TYPE_EXTERNAL_AUTHENTICATION"))
      .thenEvents(at(2, flowCleared("1")));
  });

  for (const flowType of ["0", "5", "CustomiseToken"]) {
    it(`refuses the flow type ${JSON.stringify(flowType)}`, async () => {
      await given().when(clear(flowType)).thenThrows(flowErrors.flowTypeMissingOnClear);
    });
  }

  const empty: [string, NewEvent[]][] = [
    ["a flow never set", [actionAdded("a1"), triggerActionsSet("3", "1", ["a1"])]],
    ["a flow already cleared", [actionAdded("a1"), triggerActionsSet("2", "4", ["a1"]), flowCleared("2")]],
    ["a flow whose triggers were set to empty lists", [actionAdded("a1"), triggerActionsSet("2", "4", ["a1"]), triggerActionsSet("2", "4", [])]],
    [
      "a flow whose only action was removed",
      [actionAdded("a1"), triggerActionsSet("2", "4", ["a1"]), actionRemoved("a1"), removedFromFlow("2", "a1")],
    ],
    ["a flow only another org set", [actionAdded("a1", {}, otherCaller), triggerActionsSet("2", "4", ["a1"], otherCaller)]],
  ];
  for (const [what, history] of empty) {
    it(`refuses ${what} as already empty`, async () => {
      await given(...history).when(clear("2")).thenThrows(flowErrors.alreadyEmpty);
    });
  }
});
