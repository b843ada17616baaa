import { describe, expect, it } from "vitest";
import { identityFromClaims, rolesInOrg, zitadelOrgClaim, zitadelRolesClaim } from "./oidc-identity.js";

const names = { orgClaim: zitadelOrgClaim, rolesClaim: zitadelRolesClaim };

describe("identityFromClaims", () => {
  it("maps ZITADEL's roles claim to roles per org, IAM_OWNER instance-wide", () => {
    const result = identityFromClaims(
      {
        sub: "user-1",
        [zitadelOrgClaim]: "org-a",
        [zitadelRolesClaim]: {
          ORG_OWNER: { "org-a": "a.example.com", "org-b": "b.example.com" },
          ORG_OWNER_VIEWER: { "org-c": "c.example.com" },
          IAM_OWNER: { "org-a": "a.example.com" },
        },
      },
      names,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { identity } = result;
    expect(identity.subject).toBe("user-1");
    expect(identity.orgId).toBe("org-a");
    expect(identity.instanceRoles).toEqual(["IAM_OWNER"]);
    expect(Object.fromEntries(identity.rolesByOrg)).toEqual({
      "org-a": ["ORG_OWNER"],
      "org-b": ["ORG_OWNER"],
      "org-c": ["ORG_OWNER_VIEWER"],
    });
    expect(rolesInOrg(identity, "org-c")).toEqual(["IAM_OWNER", "ORG_OWNER_VIEWER"]);
    expect(rolesInOrg(identity, "org-unknown")).toEqual(["IAM_OWNER"]);
  });

  it("holds roles only in the orgs the claim names", () => {
    const result = identityFromClaims(
      { sub: "u", [zitadelOrgClaim]: "org-a", [zitadelRolesClaim]: { ORG_OWNER: { "org-b": "b" } } },
      names,
    );
    expect(result.ok && rolesInOrg(result.identity, "org-a")).toEqual([]);
    expect(result.ok && rolesInOrg(result.identity, "org-b")).toEqual(["ORG_OWNER"]);
  });

  it("reads a plain array of roles (other issuers) as roles in the user's own org", () => {
    const result = identityFromClaims({ sub: "u", org: "org-a", roles: ["ORG_OWNER_VIEWER", "IAM_OWNER"] }, {
      orgClaim: "org",
      rolesClaim: "roles",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(result.identity.rolesByOrg)).toEqual({ "org-a": ["ORG_OWNER_VIEWER"] });
    expect(result.identity.instanceRoles).toEqual(["IAM_OWNER"]);
  });

  it("accepts a token without roles claim: authenticated, member of nothing", () => {
    const result = identityFromClaims({ sub: "u", [zitadelOrgClaim]: "org-a" }, names);
    expect(result.ok && result.identity.rolesByOrg.size).toBe(0);
    expect(result.ok && result.identity.instanceRoles).toEqual([]);
  });

  it("reads only claims the token carries, never Object.prototype members of the same name", () => {
    const result = identityFromClaims({ sub: "u", [zitadelOrgClaim]: "org-a" }, { orgClaim: zitadelOrgClaim, rolesClaim: "constructor" });
    expect(result.ok && result.identity.rolesByOrg.size).toBe(0);
    expect(identityFromClaims({ sub: "u" }, { orgClaim: "toString", rolesClaim: zitadelRolesClaim })).toEqual({ ok: false, claim: "toString" });
  });

  it("holds roles named like Object.prototype members as plain names", () => {
    const roles = Object.fromEntries(["toString", "__proto__", "hasOwnProperty"].map((r) => [r, { "org-a": "d" }]));
    const result = identityFromClaims(JSON.parse(JSON.stringify({ sub: "u", [zitadelOrgClaim]: "org-a", [zitadelRolesClaim]: roles })), names);
    expect(result.ok && rolesInOrg(result.identity, "org-a")).toEqual(["toString", "__proto__", "hasOwnProperty"]);
  });

  it.each([
    ["no subject", { [zitadelOrgClaim]: "org-a" }, "sub"],
    ["empty subject", { sub: "", [zitadelOrgClaim]: "org-a" }, "sub"],
    ["no org", { sub: "u" }, zitadelOrgClaim],
    ["org not a string", { sub: "u", [zitadelOrgClaim]: 42 }, zitadelOrgClaim],
    ["roles a string", { sub: "u", [zitadelOrgClaim]: "o", [zitadelRolesClaim]: "ORG_OWNER" }, zitadelRolesClaim],
    ["role value not an object", { sub: "u", [zitadelOrgClaim]: "o", [zitadelRolesClaim]: { ORG_OWNER: ["o"] } }, zitadelRolesClaim],
    ["array with a non-string", { sub: "u", [zitadelOrgClaim]: "o", [zitadelRolesClaim]: ["ORG_OWNER", 1] }, zitadelRolesClaim],
  ])("refuses a token with %s", (_name, payload, claim) => {
    expect(identityFromClaims(payload, names)).toEqual({ ok: false, claim });
  });
});
