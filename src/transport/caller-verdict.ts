import { createContextKey } from "@connectrpc/connect";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Authorize } from "../auth/authorize.js";
import type { Caller } from "../domain/caller.js";
import { isDomainError } from "../domain/errors.js";
import { declaredPermission } from "./declared-permission.js";
import { orgHeader, parseOrgHeader } from "./org-header.js";

/** Who a call acts for, or why it may not: an error is thrown by the auth interceptor, where the chain expects it. */
export type Verdict = { caller: Caller; error?: undefined } | { caller?: undefined; error: unknown };

/**
 * A verdict reached before the body was read (transport/auth-gate.ts), handed
 * to the auth interceptor through the context values so that a token is
 * verified once per call.
 */
export const verdictKey = createContextKey<Verdict | undefined>(undefined, { description: "verdict of the auth gate" });

export type ResolveCaller = (method: DescMethod, header: (name: string) => string | null) => Promise<Verdict>;

/**
 * Resolves the caller of a method of the guarded services from the request
 * headers alone: token, org header (transport/org-header.ts), membership and
 * the permission the method declares (read from the descriptors once, here).
 * A token that does not authenticate wins over a bad org header, as
 * authentication comes first in ZITADEL; the org is then checked against the
 * caller's own org only to learn that.
 */
export function createCallerResolver(authorize: Authorize, services: DescService[]): ResolveCaller {
  const permissions = new Map<DescMethod, string | undefined>(
    services.flatMap((s) => s.methods.map((m) => [m, declaredPermission(m)] as const)),
  );
  return async (method, header) => {
    const org = parseOrgHeader(header(orgHeader));
    try {
      const caller = await authorize({ authorization: header("authorization"), orgId: org.orgId ?? null, permission: permissions.get(method) });
      return org.error ? { error: org.error } : { caller };
    } catch (error) {
      return { error: org.error && !isUnauthenticated(error) ? org.error : error };
    }
  };
}

/** authorize() refuses with Unauthenticated only for a missing or invalid token (src/auth/auth-errors.ts). */
export function isUnauthenticated(err: unknown): boolean {
  return isDomainError(err) && err.code === "Unauthenticated";
}
