import { describe, expect, it } from "vitest";
import { isKnownRole, knownRoles, permissionsOf } from "./roles.js";

/** Names an object's prototype answers for: a lookup keyed by input must not find them. */
const prototypeNames = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"];

describe("roles", () => {
  it("grants nothing for a role named like an Object.prototype member", () => {
    for (const name of prototypeNames) {
      expect(isKnownRole(name)).toBe(false);
      expect(permissionsOf(name)).toEqual([]);
    }
  });

  it("knows ZITADEL's four roles and what they grant", () => {
    expect(knownRoles).toEqual(["IAM_OWNER", "ORG_OWNER", "ORG_OWNER_VIEWER", "ACTION_EXECUTOR"]);
    expect(permissionsOf("ORG_OWNER_VIEWER")).toEqual(["org.action.read", "org.flow.read", "org.secret.read"]);
    expect(permissionsOf("ORG_OWNER")).toEqual(expect.arrayContaining(["org.secret.read", "org.secret.write"]));
    expect(permissionsOf("IAM_OWNER")).toEqual(expect.arrayContaining(["org.secret.read", "org.secret.write"]));
    expect(permissionsOf("ACTION_EXECUTOR")).not.toContain("org.secret.read");
  });
});
