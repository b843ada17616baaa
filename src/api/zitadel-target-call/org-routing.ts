import { orgExists } from "../../query/org-queries.js";
import type { CallScope } from "./call-scope.js";

/** What a payload says about its org: an id, or for AddHumanUser possibly only a domain. */
export interface NamedOrg {
  orgId?: string;
  orgDomain?: string;
}

/**
 * The org whose flows a call runs: the target's own when it has one, else the
 * org the payload names (docs/zitadel-v2-target.md, The endpoint). actiond
 * knows orgs by id only. Undefined, with a warning, when actiond has no such
 * org: the call then runs nothing and changes nothing.
 */
export async function routeToOrg(scope: CallScope, named: NamedOrg): Promise<string | undefined> {
  const { target, deps } = scope;
  const orgId = target.orgId || named.orgId;
  if (orgId && (await orgExists(deps.execute.db, orgId))) return orgId;
  const which = orgId ?? (named.orgDomain ? `for domain ${named.orgDomain}` : "(the payload names none)");
  deps.log.warn(`no actiond org ${which} for ZITADEL target ${target.id}`, { targetId: target.id, orgId, orgDomain: named.orgDomain });
  return undefined;
}
