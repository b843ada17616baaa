import { type ActionFields, actionNameKey } from "../domain/action.js";
import { actionErrors } from "../domain/action-errors.js";
import type { NewEvent, UniqueConstraint } from "../event/events.js";
import { actionVersionsOf } from "../event/action-versions.js";
import { type ActionWriteModel, actionExistsIn, actionModel } from "./action-state.js";
import type { Caller } from "../domain/caller.js";
import { type CommandDeps, type WriteDetails, detailsOf } from "./command-context.js";
import { removedFromFlowsEvents } from "./flow-commands.js";
import { foldEvents, loadAggregate } from "./write-model.js";

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

/** The update event that makes the action's fields `fields`: only what differs, and its name moved when renamed. */
function changedEvent(caller: Caller, action: ActionWriteModel, fields: ActionFields): ActionNewEvent {
  const changed: Partial<ActionFields> = {};
  for (const key of ["name", "script", "timeoutNs", "allowedToFail"] as const) {
    if (action[key] !== fields[key]) Object.assign(changed, { [key]: fields[key] });
  }
  if (Object.keys(changed).length === 0) throw actionErrors.noChanges();
  const renamed = action.name.toLowerCase() !== fields.name.toLowerCase();
  return {
    ...envelope(caller, action.id),
    type: "action.changed",
    payload: changed,
    uniqueConstraints: renamed ? [removeName(caller.orgId, action.name), addName(caller.orgId, fields.name)] : [],
  };
}

/** A full replace of the fields; state is never changed by an update. */
export async function changeAction(deps: CommandDeps, caller: Caller, id: string, fields: ActionFields): Promise<WriteDetails> {
  return deps.store.transact(async (tx) => {
    const action = await loadAggregate(tx, actionModel, id);
    if (!actionExistsIn(action, caller.orgId)) throw actionErrors.notFoundOnUpdate();
    return detailsOf(await tx.append([changedEvent(caller, action, fields)]));
  });
}

/**
 * Makes the action's fields those of an earlier version again, as an update
 * (so a new version); its state is kept. Reads the whole history, which the
 * versions need, instead of the snapshot. A version equal to the current one
 * changes nothing and is refused as an update would be.
 */
export async function rollbackAction(deps: CommandDeps, caller: Caller, id: string, version: number): Promise<{ version: number }> {
  return deps.store.transact(async (tx) => {
    const events = await tx.readAggregate("action", id);
    const action = foldEvents(actionModel, actionModel.initial(id), events);
    if (!actionExistsIn(action, caller.orgId)) throw actionErrors.notFoundOnUpdate();
    const versions = actionVersionsOf(events);
    const target = versions.find((v) => v.version === version);
    if (!target) throw actionErrors.versionNotFound();
    const { name, script, timeoutNs, allowedToFail } = target;
    await tx.append([changedEvent(caller, action, { name, script, timeoutNs, allowedToFail })]);
    return { version: versions.length + 1 };
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
