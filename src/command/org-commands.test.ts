import { describe, expect, it } from "vitest";
import { at, given, newId } from "../../test/support/command-spec.js";
import { orgAdded } from "../../test/support/events.js";
import { addOrg } from "./org-commands.js";

describe("addOrg()", () => {
  it("appends org.added on a new org that owns itself, and returns its id", () => {
    const org = { orgId: newId, subject: "cli" };
    const id = given(orgAdded())
      .when((deps) => addOrg(deps, "cli", "acme"))
      .thenEvents(at(1, orgAdded(org, "acme")));
    expect(id).toBe(newId);
  });
});
