import type { Interceptor } from "@connectrpc/connect";
import { callerKey } from "../api/caller-key.js";
import { type ResolveCaller, verdictKey } from "./caller-verdict.js";

export { declaredPermission } from "./declared-permission.js";

/**
 * Authenticates and authorizes every call of the services it guards, before
 * validation (so auth errors win, as in ZITADEL), and hands the caller to the
 * handler through the context values. The verdict is usually reached already,
 * on the headers, by the auth gate (transport/auth-gate.ts); the interceptor
 * is where it takes effect, so its errors take the same path as every other.
 */
export function createAuthInterceptor(resolve: ResolveCaller): Interceptor {
  return (next) => async (req) => {
    const verdict = req.contextValues.get(verdictKey) ?? (await resolve(req.method, (name) => req.header.get(name)));
    if (verdict.error !== undefined) throw verdict.error;
    req.contextValues.set(callerKey, verdict.caller);
    return next(req);
  };
}
