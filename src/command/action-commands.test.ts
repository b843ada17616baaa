import { describe, expect, it } from "vitest";
import { at, given, newId, specNow } from "../../test/support/command-spec.js";
import {
  actionAdded,
  actionChanged,
  actionDeactivated,
  actionReactivated,
  actionRemoved,
  caller,
  fields,
  orgAdded,
  orgId,
  otherCaller,
  removedFromFlow,
  triggerActionsSet,
} from "../../test/support/events.js";
import { actionErrors } from "../domain/action-errors.js";
import type { NewEvent } from "../event/events.js";
import { addAction, changeAction, deactivateAction, reactivateAction, removeAction } from "./action-commands.js";
import { snapshotEvery } from "./write-model.js";

/** Histories in which action "a1" does not exist for `caller`. */
const missing: [string, NewEvent[]][] = [
  ["an unknown id", []],
  ["an action of another org", [actionAdded("a1", {}, otherCaller)]],
  ["a removed action", [actionAdded("a1"), actionRemoved("a1")]],
];

describe("addAction()", () => {
  it("appends action.added at sequence 1 and reserves the name in the org", async () => {
    const details = await given(orgAdded())
      .when((deps) => addAction(deps, caller, fields))
      .thenEvents(at(1, actionAdded(newId)));
    expect(details).toEqual({ id: newId, sequence: 1, eventDate: specNow, resourceOwner: orgId });
  });

  for (const name of ["", "  "]) {
    it(`refuses the blank name ${JSON.stringify(name)}`, async () => {
      await given().when((deps) => addAction(deps, caller, { ...fields, name })).thenThrows(actionErrors.invalid);
    });
  }

  it("refuses a name the org already uses, in any case", async () => {
    await given(actionAdded("a1", { name: "Enrich" }))
      .when((deps) => addAction(deps, caller, { ...fields, name: "ENRICH" }))
      .thenThrows(actionErrors.nameTaken);
  });

  it("accepts a name another org uses", async () => {
    await given(actionAdded("a1", {}, otherCaller))
      .when((deps) => addAction(deps, caller, fields))
      .thenEvents(at(1, actionAdded(newId)));
  });

  it("accepts the name of a removed action", async () => {
    await given(actionAdded("a1"), actionRemoved("a1"))
      .when((deps) => addAction(deps, caller, fields))
      .thenEvents(at(1, actionAdded(newId)));
  });

  it("accepts the old name of a renamed action", async () => {
    await given(actionAdded("a1"), actionChanged("a1", { name: "renamed" }, { renamedFrom: fields.name }))
      .when((deps) => addAction(deps, caller, fields))
      .thenEvents(at(1, actionAdded(newId)));
  });
});

describe("changeAction()", () => {
  const change = (changes: Partial<typeof fields>) => (deps: Parameters<typeof changeAction>[0]) =>
    changeAction(deps, caller, "a1", { ...fields, ...changes });

  it("appends only the fields that differ, keeping the name reserved", async () => {
    const details = await given(actionAdded("a1"))
      .when(change({ script: "function enrich() { return 1 }", allowedToFail: true }))
      .thenEvents(at(2, actionChanged("a1", { script: "function enrich() { return 1 }", allowedToFail: true })));
    expect(details).toEqual({ sequence: 2, eventDate: specNow, resourceOwner: orgId });
  });

  it("moves the name reservation on a rename", async () => {
    await given(actionAdded("a1"))
      .when(change({ name: "renamed" }))
      .thenEvents(at(2, actionChanged("a1", { name: "renamed" }, { renamedFrom: "enrich" })));
  });

  it("keeps the reservation when only the name's case changes", async () => {
    await given(actionAdded("a1")).when(change({ name: "ENRICH" })).thenEvents(at(2, actionChanged("a1", { name: "ENRICH" })));
  });

  it("refuses a name another action of the org has", async () => {
    await given(actionAdded("a1"), actionAdded("a2", { name: "other" }))
      .when(change({ name: "Other" }))
      .thenThrows(actionErrors.nameTaken);
  });

  it("refuses an update that changes nothing", async () => {
    await given(actionAdded("a1"), actionChanged("a1", { timeoutNs: 5 }))
      .when(change({ timeoutNs: 5 }))
      .thenThrows(actionErrors.noChanges);
  });

  it("changes an inactive action without reactivating it", async () => {
    await given(actionAdded("a1"), actionDeactivated("a1"))
      .when(change({ timeoutNs: 1_000_000_000 }))
      .thenEvents(at(3, actionChanged("a1", { timeoutNs: 1_000_000_000 })));
  });

  for (const [what, history] of missing) {
    it(`answers NotFound for ${what}`, async () => {
      await given(...history).when(change({ script: "x" })).thenThrows(actionErrors.notFoundOnUpdate);
    });
  }
});

const stateChanges = [
  {
    command: deactivateAction,
    from: [actionAdded("a1")],
    expected: actionDeactivated("a1"),
    alreadyThere: [actionAdded("a1"), actionDeactivated("a1")],
    errors: { wrongState: actionErrors.notActive, idMissing: actionErrors.idMissingOnDeactivate, notFound: actionErrors.notFoundOnDeactivate },
  },
  {
    command: reactivateAction,
    from: [actionAdded("a1"), actionReactivated("a1"), actionDeactivated("a1")],
    expected: actionReactivated("a1"),
    alreadyThere: [actionAdded("a1")],
    errors: { wrongState: actionErrors.notInactive, idMissing: actionErrors.idMissingOnReactivate, notFound: actionErrors.notFoundOnReactivate },
  },
];

for (const { command, from, expected, alreadyThere, errors } of stateChanges) {
  describe(`${command.name}()`, () => {
    it(`appends ${expected.type} at the next sequence`, async () => {
      const details = await given(...from)
        .when((deps) => command(deps, caller, "a1"))
        .thenEvents(at(from.length + 1, expected));
      expect(details.sequence).toBe(from.length + 1);
    });

    it("refuses an action already in that state", async () => {
      await given(...alreadyThere).when((deps) => command(deps, caller, "a1")).thenThrows(errors.wrongState);
    });

    it("refuses an empty id", async () => {
      await given(actionAdded("a1")).when((deps) => command(deps, caller, "")).thenThrows(errors.idMissing);
    });

    for (const [what, history] of missing) {
      it(`answers NotFound for ${what}`, async () => {
        await given(...history).when((deps) => command(deps, caller, "a1")).thenThrows(errors.notFound);
      });
    }
  });
}

describe("removeAction()", () => {
  it("appends action.removed with the current name and frees it", async () => {
    const result = await given(actionAdded("a1"), actionChanged("a1", { name: "renamed" }, { renamedFrom: "enrich" }), actionDeactivated("a1"))
      .when((deps) => removeAction(deps, caller, "a1"))
      .thenEvents(at(4, actionRemoved("a1", "renamed")));
    expect(result).toBeUndefined();
  });

  it("takes the action out of each flow using it, one event per flow, in the same write", async () => {
    await given(
      orgAdded(),
      actionAdded("a1"),
      actionAdded("a2", { name: "other" }),
      triggerActionsSet("2", "4", ["a2", "a1"]),
      triggerActionsSet("1", "1", ["a2"]),
      triggerActionsSet("2", "5", ["a1"]),
      triggerActionsSet("3", "2", ["a1"]),
    )
      .when((deps) => removeAction(deps, caller, "a1"))
      .thenEvents(at(2, actionRemoved("a1")), at(6, removedFromFlow("2", "a1")), at(7, removedFromFlow("3", "a1")));
  });

  it("cascades in the flows' order after a history longer than a snapshot spans", async () => {
    const flowWrites = Array.from({ length: 2 * snapshotEvery }, (_, n) => triggerActionsSet("2", "4", n % 2 ? ["a1"] : ["a2", "a1"]));
    await given(orgAdded(), actionAdded("a1"), actionAdded("a2", { name: "other" }), triggerActionsSet("3", "2", ["a1"]), ...flowWrites)
      .when((deps) => removeAction(deps, caller, "a1"))
      .thenEvents(at(2, actionRemoved("a1")), at(3 + 2 * snapshotEvery, removedFromFlow("3", "a1")), at(4 + 2 * snapshotEvery, removedFromFlow("2", "a1")));
  });

  it("leaves flows alone once the action was taken out of them", async () => {
    await given(actionAdded("a1"), triggerActionsSet("2", "4", ["a1"]), triggerActionsSet("2", "4", []))
      .when((deps) => removeAction(deps, caller, "a1"))
      .thenEvents(at(2, actionRemoved("a1")));
  });

  it("refuses an empty id", async () => {
    await given(actionAdded("a1")).when((deps) => removeAction(deps, caller, "")).thenThrows(actionErrors.idMissingOnDelete);
  });

  for (const [what, history] of missing) {
    it(`answers NotFound for ${what}`, async () => {
      await given(...history).when((deps) => removeAction(deps, caller, "a1")).thenThrows(actionErrors.notFoundOnDelete);
    });
  }
});
