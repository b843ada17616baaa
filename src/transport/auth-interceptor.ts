import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { callerKey } from "../api/caller-key.js";
import type { Authorize } from "../auth/authorize.js";
import { auth_option } from "../../gen/zitadel/v1/options_pb.js";

/** The permission declared in the proto (`zitadel.v1.auth_option`), or undefined. */
export function declaredPermission(method: DescMethod): string | undefined {
  return hasOption(method, auth_option) ? getOption(method, auth_option).permission || undefined : undefined;
}

/**
 * Authenticates and authorizes every call of the services it guards, before
 * validation (so auth errors win, as in ZITADEL), and hands the caller to the
 * handler through the context values. Permissions are read from the
 * descriptors once, here; a method without one is refused.
 */
export function createAuthInterceptor(authorize: Authorize, services: DescService[]): Interceptor {
  const permissions = new Map<DescMethod, string | undefined>(
    services.flatMap((s) => s.methods.map((m) => [m, declaredPermission(m)] as const)),
  );
  return (next) => async (req) => {
    const caller = await authorize({
      authorization: req.header.get("authorization"),
      orgId: req.header.get("x-zitadel-orgid"),
      permission: permissions.get(req.method),
    });
    req.contextValues.set(callerKey, caller);
    return next(req);
  };
}
