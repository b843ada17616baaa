import { describe, expect, it } from "vitest";
import { at, given, newId } from "../../test/support/command-spec.js";
import { orgAdded } from "../../test/support/events.js";
import { orgErrors } from "../domain/org-errors.js";
import { addOrg } from "./org-commands.js";

describe("addOrg()", () => {
  it("appends org.added on a new org that owns itself, and returns its id", async () => {
    const org = { orgId: newId, subject: "cli" };
    const id = await given(orgAdded())
      .when((deps) => addOrg(deps, "cli", "acme"))
      .thenEvents(at(1, orgAdded(org, "acme")));
    expect(id).toBe(newId);
  });

  it("takes the id it is given, as a ZITADEL org's own, once", async () => {
    const zitadelOrg = { orgId: "318900732864567390", subject: "cli" };
    await given()
      .when((deps) => addOrg(deps, "cli", "acme", zitadelOrg.orgId))
      .thenEvents(at(1, orgAdded(zitadelOrg, "acme")));
    await given(orgAdded(zitadelOrg))
      .when((deps) => addOrg(deps, "cli", "again", zitadelOrg.orgId))
      .thenThrows(orgErrors.alreadyExists);
  });

  for (const id of ["", "with space", "a/b", "ünïcode", "x".repeat(201)]) {
    it(`refuses the id ${JSON.stringify(id.slice(0, 20))}`, async () => {
      await given()
        .when((deps) => addOrg(deps, "cli", "acme", id))
        .thenThrows(orgErrors.idInvalid);
    });
  }
});
