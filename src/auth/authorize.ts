import type { Caller } from "../domain/caller.js";
import type { Logger } from "../logger.js";
import { orgExists } from "../query/org-queries.js";
import type { Sql } from "../store/sql.js";
import { authErrors } from "./auth-errors.js";
import { type OidcVerifier, looksLikeJwt, rolesInOrg } from "./oidc/index.js";
import { instanceRoles, permissionsOf } from "./roles.js";
import type { TokenStore } from "./token-store.js";

export interface AuthorizeInput {
  /** The `authorization` header as received. */
  authorization: string | null;
  /** The `x-zitadel-orgid` header, if any. */
  orgId: string | null;
  /** The permission the method declares; undefined refuses the call. */
  permission: string | undefined;
}

/** Whoever a bearer token speaks for, whichever kind of token it is. */
interface Principal {
  subject: string;
  orgId: string;
  rolesIn(orgId: string): string[];
}

/**
 * Resolves the caller in ZITADEL's order (docs/wire-contract.md, Authorization): token, org, membership,
 * permission. Each failure is the DomainError ZITADEL gives. A JWT goes to
 * the OIDC verifier when one is configured; anything else to the token store.
 */
export function createAuthorizer(sql: Sql, tokens: TokenStore, oidc?: { verifier: OidcVerifier; log: Logger }) {
  async function principal(bearer: string): Promise<Principal | undefined> {
    if (oidc && looksLikeJwt(bearer)) {
      const result = await oidc.verifier.check(bearer);
      if (!result.ok) {
        if (result.reason === "issuer-unavailable") oidc.log.warn("OIDC issuer unavailable", { detail: result.detail });
        else oidc.log.debug("OIDC token refused", { reason: result.reason, claim: "claim" in result ? result.claim : undefined });
        return undefined;
      }
      const id = result.identity;
      return { subject: id.subject, orgId: id.orgId, rolesIn: (org) => rolesInOrg(id, org) };
    }
    const token = await tokens.verify(bearer);
    return (
      token && {
        subject: token.id,
        orgId: token.orgId,
        rolesIn: (org) => token.roles.filter((r) => instanceRoles.has(r) || token.orgId === org),
      }
    );
  }

  return async function authorize(input: AuthorizeInput): Promise<Caller> {
    if (!input.authorization) throw authErrors.headerMissing();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization);
    const who = match ? await principal(match[1]!) : undefined;
    if (!who) throw authErrors.tokenInvalid();
    const orgId = input.orgId || who.orgId;
    if (!(await orgExists(sql, orgId))) throw authErrors.orgNotFound();
    const roles = who.rolesIn(orgId);
    if (roles.length === 0) throw authErrors.membershipNotFound();
    if (!input.permission) throw authErrors.noPermissionDeclared();
    if (!roles.some((r) => permissionsOf(r).includes(input.permission!))) throw authErrors.permissionMissing();
    return { orgId, subject: who.subject };
  };
}

export type Authorize = ReturnType<typeof createAuthorizer>;
