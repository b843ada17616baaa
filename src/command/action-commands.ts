import { type ActionFields, actionNameKey } from "../domain/action.js";
import { actionErrors } from "../domain/action-errors.js";
import type { NewEvent, UniqueConstraint } from "../event/events.js";
import { actionExistsIn, actionModel } from "./action-state.js";
import type { Caller } from "../domain/caller.js";
import { type CommandDeps, type WriteDetails, detailsOf } from "./command-context.js";
import { removedFromFlowsEvents } from "./flow-commands.js";
import { loadAggregate } from "./write-model.js";

type ActionNewEvent = Extract<NewEvent, { aggregateType: "action" }>;

function addName(orgId: string, name: string): UniqueConstraint {
  return { op: "add", kind: "action_name", key: actionNameKey(orgId, name), conflict: actionErrors.nameTaken };
}

function removeName(orgId: string, name: string): UniqueConstraint {
  return { op: "remove", kind: "action_name", key: actionNameKey(orgId, name) };
}

function envelope(caller: Caller, id: string) {
  return { aggregateType: "action", aggregateId: id, resourceOwner: caller.orgId, creator: caller.subject } as const;
}

export async function addAction(deps: CommandDeps, caller: Caller, fields: ActionFields): Promise<WriteDetails & { id: string }> {
  if (fields.name.trim() === "") throw actionErrors.invalid();
  const id = deps.newId();
  const stored = await deps.store.transact((tx) =>
    tx.append([
      {
        ...envelope(caller, id),
        type: "action.added",
        payload: { ...fields },
        uniqueConstraints: [addName(caller.orgId, fields.name)],
      },
    ]),
  );
  return { ...detailsOf(stored), id };
}

/** A full replace of the fields; state is never changed by an update. */
export async function changeAction(deps: CommandDeps, caller: Caller, id: string, fields: ActionFields): Promise<WriteDetails> {
  return deps.store.transact(async (tx) => {
    const action = await loadAggregate(tx, actionModel, id);
    if (!actionExistsIn(action, caller.orgId)) throw actionErrors.notFoundOnUpdate();
    const changed: Partial<ActionFields> = {};
    for (const key of ["name", "script", "timeoutNs", "allowedToFail"] as const) {
      if (action[key] !== fields[key]) Object.assign(changed, { [key]: fields[key] });
    }
    if (Object.keys(changed).length === 0) throw actionErrors.noChanges();
    const renamed = action.name.toLowerCase() !== fields.name.toLowerCase();
    const event: ActionNewEvent = {
      ...envelope(caller, id),
      type: "action.changed",
      payload: changed,
      uniqueConstraints: renamed ? [removeName(caller.orgId, action.name), addName(caller.orgId, fields.name)] : [],
    };
    return detailsOf(await tx.append([event]));
  });
}

const stateChanges = {
  deactivate: {
    from: "active",
    event: "action.deactivated",
    idMissing: actionErrors.idMissingOnDeactivate,
    notFound: actionErrors.notFoundOnDeactivate,
    wrongState: actionErrors.notActive,
  },
  reactivate: {
    from: "inactive",
    event: "action.reactivated",
    idMissing: actionErrors.idMissingOnReactivate,
    notFound: actionErrors.notFoundOnReactivate,
    wrongState: actionErrors.notInactive,
  },
} as const;

async function changeState(deps: CommandDeps, caller: Caller, id: string, change: keyof typeof stateChanges): Promise<WriteDetails> {
  const rule = stateChanges[change];
  if (id === "") throw rule.idMissing();
  return deps.store.transact(async (tx) => {
    const action = await loadAggregate(tx, actionModel, id);
    if (!actionExistsIn(action, caller.orgId)) throw rule.notFound();
    if (action.state !== rule.from) throw rule.wrongState();
    return detailsOf(await tx.append([{ ...envelope(caller, id), type: rule.event, payload: {} }]));
  });
}

export function deactivateAction(deps: CommandDeps, caller: Caller, id: string): Promise<WriteDetails> {
  return changeState(deps, caller, id, "deactivate");
}

export function reactivateAction(deps: CommandDeps, caller: Caller, id: string): Promise<WriteDetails> {
  return changeState(deps, caller, id, "reactivate");
}

/** Removes the action and, in the same transaction, takes it out of every flow. */
export async function removeAction(deps: CommandDeps, caller: Caller, id: string): Promise<void> {
  if (id === "") throw actionErrors.idMissingOnDelete();
  await deps.store.transact(async (tx) => {
    const action = await loadAggregate(tx, actionModel, id);
    if (!actionExistsIn(action, caller.orgId)) throw actionErrors.notFoundOnDelete();
    await tx.append([
      {
        ...envelope(caller, id),
        type: "action.removed",
        payload: { name: action.name },
        uniqueConstraints: [removeName(caller.orgId, action.name)],
      },
      ...(await removedFromFlowsEvents(tx, caller, id)),
    ]);
  });
}
