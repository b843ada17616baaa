import type { Caller } from "../command/command-context.js";
import { orgExists } from "../query/org-queries.js";
import type { Db } from "../store/database.js";
import { authErrors } from "./auth-errors.js";
import { instanceRoles, rolePermissions } from "./roles.js";
import type { TokenStore } from "./token-store.js";

export interface AuthorizeInput {
  /** The `authorization` header as received. */
  authorization: string | null;
  /** The `x-zitadel-orgid` header, if any. */
  orgId: string | null;
  /** The permission the method declares; undefined refuses the call. */
  permission: string | undefined;
}

/**
 * Resolves the caller in ZITADEL's order (spec §2): token, org, membership,
 * permission. Each failure is the DomainError ZITADEL gives.
 */
export function createAuthorizer(db: Db, tokens: TokenStore) {
  return function authorize(input: AuthorizeInput): Caller {
    if (!input.authorization) throw authErrors.headerMissing();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization);
    const token = match ? tokens.verify(match[1]!) : undefined;
    if (!token) throw authErrors.tokenInvalid();
    const orgId = input.orgId || token.orgId;
    if (!orgExists(db, orgId)) throw authErrors.orgNotFound();
    const roles = token.roles.filter((r) => instanceRoles.has(r) || token.orgId === orgId);
    if (roles.length === 0) throw authErrors.membershipNotFound();
    if (!input.permission) throw authErrors.noPermissionDeclared();
    if (!roles.some((r) => rolePermissions[r]?.includes(input.permission!))) throw authErrors.permissionMissing();
    return { orgId, subject: token.id };
  };
}

export type Authorize = ReturnType<typeof createAuthorizer>;
