import type { ActionFields } from "../../src/domain/action.js";
import type { Caller } from "../../src/domain/caller.js";
import type { ActionPayload, NewEvent, UniqueConstraint } from "../../src/event/events.js";

/**
 * Event builders for given/when/then specs: what a command of `by` would
 * have appended, unique constraints included, so that a given history
 * reserves names exactly as the real one did.
 */
export const orgId = "org-1";
export const caller: Caller = { orgId, subject: "user-1" };
export const otherCaller: Caller = { orgId: "org-2", subject: "user-2" };

export const fields: ActionFields = {
  name: "enrich",
  script: "function enrich(ctx, api) {}",
  timeoutNs: 0,
  allowedToFail: false,
};

type ActionEventOf<T extends string> = Extract<NewEvent, { aggregateType: "action"; type: T }>;
type OrgEventOf<T extends string> = Extract<NewEvent, { aggregateType: "org"; type: T }>;

const onAction = (id: string, by: Caller) =>
  ({ aggregateType: "action", aggregateId: id, resourceOwner: by.orgId, creator: by.subject }) as const;
const onOrg = (by: Caller) =>
  ({ aggregateType: "org", aggregateId: by.orgId, resourceOwner: by.orgId, creator: by.subject }) as const;

/** The stored form of the per-org, case-insensitive name reservation. */
const name = (op: UniqueConstraint["op"], actionName: string, by: Caller): UniqueConstraint => ({
  op,
  kind: "action_name",
  key: `${actionName.toLowerCase()}:${by.orgId}`,
});

export function orgAdded(by: Caller = caller, orgName = "test org"): OrgEventOf<"org.added"> {
  return { ...onOrg(by), type: "org.added", payload: { name: orgName } };
}

export function actionAdded(id: string, changes: Partial<ActionFields> = {}, by: Caller = caller): ActionEventOf<"action.added"> {
  const payload = { ...fields, ...changes };
  return { ...onAction(id, by), type: "action.added", payload, uniqueConstraints: [name("add", payload.name, by)] };
}

/** `renamedFrom`: the old name, whose reservation moves to `payload.name`. */
export function actionChanged(
  id: string,
  payload: Partial<ActionPayload>,
  { renamedFrom, by = caller }: { renamedFrom?: string; by?: Caller } = {},
): ActionEventOf<"action.changed"> {
  const moved = renamedFrom === undefined ? [] : [name("remove", renamedFrom, by), name("add", payload.name!, by)];
  return { ...onAction(id, by), type: "action.changed", payload, uniqueConstraints: moved };
}

export function actionDeactivated(id: string, by: Caller = caller): ActionEventOf<"action.deactivated"> {
  return { ...onAction(id, by), type: "action.deactivated", payload: {} };
}

export function actionReactivated(id: string, by: Caller = caller): ActionEventOf<"action.reactivated"> {
  return { ...onAction(id, by), type: "action.reactivated", payload: {} };
}

export function actionRemoved(id: string, actionName = fields.name, by: Caller = caller): ActionEventOf<"action.removed"> {
  return { ...onAction(id, by), type: "action.removed", payload: { name: actionName }, uniqueConstraints: [name("remove", actionName, by)] };
}

export function triggerActionsSet(
  flowType: string,
  triggerType: string,
  actionIds: string[],
  by: Caller = caller,
): OrgEventOf<"org.flow.trigger_actions.set"> {
  return { ...onOrg(by), type: "org.flow.trigger_actions.set", payload: { flowType, triggerType, actionIds } };
}

export function removedFromFlow(flowType: string, actionId: string, by: Caller = caller): OrgEventOf<"org.flow.trigger_actions.cascade.removed"> {
  return { ...onOrg(by), type: "org.flow.trigger_actions.cascade.removed", payload: { flowType, actionId } };
}

export function flowCleared(flowType: string, by: Caller = caller): OrgEventOf<"org.flow.cleared"> {
  return { ...onOrg(by), type: "org.flow.cleared", payload: { flowType } };
}
