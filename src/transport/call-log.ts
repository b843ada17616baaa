import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import { callerKey } from "../api/caller-key.js";
import type { Logger } from "../logger.js";

/** One call as its log line tells it. */
export interface CallRecord {
  method: DescMethod;
  subject?: string;
  org?: string;
  error?: unknown;
  startedAt: number;
}

/**
 * One log line per call, on every transport: who (token id or OIDC subject),
 * in which org, which RPC, with which result code. Never the token itself.
 */
export function logCall(log: Logger, call: CallRecord): void {
  const err = call.error;
  log.info("call", {
    rpc: `${call.method.parent.typeName}/${call.method.name}`,
    subject: call.subject,
    org: call.org,
    code: err === undefined ? "ok" : (Code[err instanceof ConnectError ? err.code : Code.Internal] ?? "Unknown"),
    ms: Math.round((performance.now() - call.startedAt) * 10) / 10,
  });
}

/** Writes the call's line; outermost, so it sees the code the client gets. */
export function createCallLogInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    const startedAt = performance.now();
    let error: unknown;
    try {
      return await next(req);
    } catch (err) {
      error = err;
      throw err;
    } finally {
      const caller = req.contextValues.get(callerKey);
      logCall(log, { method: req.method, subject: caller?.subject, org: caller?.orgId ?? req.header.get("x-zitadel-orgid") ?? undefined, error, startedAt });
    }
  };
}
