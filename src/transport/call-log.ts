import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { callerKey } from "../api/caller-key.js";
import type { Logger } from "../logger.js";

/**
 * One log line per call, on every transport: who (token id or OIDC subject),
 * in which org, which RPC, with which result code. Never the token itself.
 * Outermost, so it sees the code the client gets.
 */
export function createCallLogInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    let code = "ok";
    try {
      return await next(req);
    } catch (err) {
      code = Code[err instanceof ConnectError ? err.code : Code.Internal] ?? "Unknown";
      throw err;
    } finally {
      const caller = req.contextValues.get(callerKey);
      log.info("call", {
        rpc: `${req.service.typeName}/${req.method.name}`,
        subject: caller?.subject,
        org: caller?.orgId ?? req.header.get("x-zitadel-orgid") ?? undefined,
        code,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
