import type { JWTPayload } from "jose";
import { instanceRoles as defaultInstanceRoles } from "../roles.js";

/** ZITADEL's claim for the org the user belongs to (the scope `urn:zitadel:iam:user:resourceowner` asks for it). */
export const zitadelOrgClaim = "urn:zitadel:iam:user:resourceowner:id";
/** ZITADEL's claim for the project roles granted to the user, per org. */
export const zitadelRolesClaim = "urn:zitadel:iam:org:project:roles";

/** Who a verified access token speaks for. */
export interface OidcIdentity {
  /** The token's `sub`: recorded as the caller on every event. */
  subject: string;
  /** The user's own org: the org of a call without `x-zitadel-orgid`. */
  orgId: string;
  /** Org id -> roles held in that org. Instance-wide roles are not repeated here. */
  rolesByOrg: Map<string, string[]>;
  /** Roles that hold in every org (IAM_OWNER), whatever orgs the claim lists them under. */
  instanceRoles: string[];
}

export interface ClaimNames {
  orgClaim: string;
  rolesClaim: string;
}

/** Either the identity, or the name of the claim that made the token unusable. */
export type IdentityResult = { ok: true; identity: OidcIdentity } | { ok: false; claim: string };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A claim the token itself carries: a claim named `toString` must not find Object's method. */
function ownClaim(payload: JWTPayload, name: string): unknown {
  return Object.hasOwn(payload, name) ? payload[name] : undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * Maps the claims of a token whose signature and standard claims are already
 * verified. The roles claim may be ZITADEL's `{ROLE: {orgId: domain}}` or, for
 * other issuers, a plain array of role names held in the user's own org.
 * A roles claim of any other shape refuses the token rather than being read as
 * "no roles": a misread claim would silently change what the caller may do.
 */
export function identityFromClaims(
  payload: JWTPayload,
  names: ClaimNames,
  instanceRoles: ReadonlySet<string> = defaultInstanceRoles,
): IdentityResult {
  const subject = payload.sub;
  if (!isNonEmptyString(subject)) return { ok: false, claim: "sub" };
  const orgId = ownClaim(payload, names.orgClaim);
  if (!isNonEmptyString(orgId)) return { ok: false, claim: names.orgClaim };

  const rolesByOrg = new Map<string, string[]>();
  const instance = new Set<string>();
  const grant = (role: string, org: string) => {
    if (instanceRoles.has(role)) return void instance.add(role);
    const held = rolesByOrg.get(org);
    if (!held) rolesByOrg.set(org, [role]);
    else if (!held.includes(role)) held.push(role);
  };

  const claim = ownClaim(payload, names.rolesClaim);
  if (Array.isArray(claim)) {
    if (!claim.every(isNonEmptyString)) return { ok: false, claim: names.rolesClaim };
    for (const role of claim) grant(role, orgId);
  } else if (isObject(claim)) {
    for (const [role, orgs] of Object.entries(claim)) {
      if (!role || !isObject(orgs)) return { ok: false, claim: names.rolesClaim };
      // An instance role counts even if ZITADEL lists it under no org.
      if (instanceRoles.has(role)) instance.add(role);
      for (const org of Object.keys(orgs)) if (org) grant(role, org);
    }
  } else if (claim !== undefined) {
    return { ok: false, claim: names.rolesClaim };
  }
  // No roles claim is not an error: the caller is authenticated, and authorization
  // then answers "membership not found" as ZITADEL does.
  return { ok: true, identity: { subject, orgId, rolesByOrg, instanceRoles: [...instance] } };
}

/** The roles the identity holds in `orgId`: its instance roles plus those granted there. */
export function rolesInOrg(identity: OidcIdentity, orgId: string): string[] {
  return [...identity.instanceRoles, ...(identity.rolesByOrg.get(orgId) ?? [])];
}
