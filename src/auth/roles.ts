/**
 * ZITADEL's default roles and the action/flow permissions each grants.
 * IAM_OWNER is instance-wide; the others hold only in the token's own org.
 */
const ownerPermissions = [
  "org.action.read",
  "org.action.write",
  "org.action.delete",
  "org.flow.read",
  "org.flow.write",
  "org.flow.delete",
  "org.action.execute",
] as const;

export const rolePermissions: Record<string, readonly string[]> = {
  IAM_OWNER: ownerPermissions,
  ORG_OWNER: ownerPermissions,
  ORG_OWNER_VIEWER: ["org.action.read", "org.flow.read"],
  ACTION_EXECUTOR: ["org.action.execute"],
};

export const instanceRoles: ReadonlySet<string> = new Set(["IAM_OWNER"]);

export function isKnownRole(role: string): boolean {
  return Object.hasOwn(rolePermissions, role);
}
