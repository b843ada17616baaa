/**
 * ZITADEL's default roles and the action/flow/target/secret permissions each grants.
 * IAM_OWNER is instance-wide; the others hold only in the token's own org.
 * Role names come from tokens (an OIDC roles claim may name anything, such as
 * `toString` or `__proto__`), so they are looked up in a Map, never as keys of
 * a plain object, whose prototype would answer for names it does not hold.
 */
const ownerPermissions = [
  "org.action.read",
  "org.action.write",
  "org.action.delete",
  "org.flow.read",
  "org.flow.write",
  "org.flow.delete",
  "org.action.execute",
  // actiond's own: an org's secrets, named after ZITADEL's scheme.
  "org.secret.read",
  "org.secret.write",
] as const;

/**
 * ZITADEL targets belong to the instance, as ZITADEL's v2 targets do: only the
 * instance owner manages them, with ZITADEL's names for the v2 target permissions.
 */
const instanceOwnerPermissions = [...ownerPermissions, "action.target.read", "action.target.write", "action.target.delete"] as const;

const rolePermissions: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["IAM_OWNER", instanceOwnerPermissions],
  ["ORG_OWNER", ownerPermissions],
  // A viewer sees which secrets exist, never their values: no read shows a value.
  ["ORG_OWNER_VIEWER", ["org.action.read", "org.flow.read", "org.secret.read"]],
  ["ACTION_EXECUTOR", ["org.action.execute"]],
]);

export const knownRoles: readonly string[] = [...rolePermissions.keys()];

export const instanceRoles: ReadonlySet<string> = new Set(["IAM_OWNER"]);

export function isKnownRole(role: string): boolean {
  return rolePermissions.has(role);
}

/** What the role grants; an unknown role grants nothing. */
export function permissionsOf(role: string): readonly string[] {
  return rolePermissions.get(role) ?? [];
}
