import type { ActionFields, ActionState } from "../domain/action.js";
import type { StoredEvent } from "../event/events.js";
import { plainWriteModel } from "./write-model.js";

/** The write model of one action, folded from its events. */
export interface ActionWriteModel extends ActionFields {
  id: string;
  resourceOwner: string;
  state: ActionState | "unknown";
}

export function initialAction(id: string): ActionWriteModel {
  return { id, resourceOwner: "", state: "unknown", name: "", script: "", timeoutNs: 0, allowedToFail: false };
}

export function evolveAction(state: ActionWriteModel, event: StoredEvent): ActionWriteModel {
  if (event.aggregateType !== "action") return state;
  switch (event.type) {
    case "action.added":
      return { ...state, ...event.payload, resourceOwner: event.resourceOwner, state: "active" };
    case "action.changed":
      return { ...state, ...event.payload };
    case "action.deactivated":
      return { ...state, state: "inactive" };
    case "action.reactivated":
      return { ...state, state: "active" };
    case "action.removed":
      return { ...state, state: "removed" };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const actionModel = plainWriteModel<ActionWriteModel>({
  aggregateType: "action",
  snapshotName: "action.v1",
  initial: initialAction,
  evolve: evolveAction,
});

/** Whether the action exists, is not removed, and belongs to the org. */
export function actionExistsIn(action: ActionWriteModel, orgId: string): boolean {
  return (action.state === "active" || action.state === "inactive") && action.resourceOwner === orgId;
}
