import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import { callerKey } from "../api/caller-key.js";
import type { Logger } from "../logger.js";
import { type CallProtocol, callProtocolOf, rpcName } from "./call-protocol.js";
import { orgHeader } from "./org-header.js";
import { requestIdHeader } from "./request-id.js";

/** One call as its log line tells it. */
export interface CallRecord {
  method: DescMethod;
  protocol: CallProtocol;
  /** transport/request-id.ts */
  requestId: string | undefined;
  subject?: string;
  org?: string;
  error?: unknown;
  startedAt: number;
}

/** What the call observer counts besides the log line; labels are bounded (docs/observability.md). */
export interface CallMetrics {
  observeCall(rpc: string, protocol: CallProtocol, code: string, seconds: number): void;
}

/** Told every call once, when it ends. */
export type CallObserver = (call: CallRecord) => void;

/**
 * One log line per call, on every transport, and the same call counted in
 * the metrics with the same code, so the two cannot disagree: who (token id
 * or OIDC subject), in which org, which RPC, over which protocol, with which
 * result code, under which request id. Never the token itself.
 */
export function createCallObserver(log: Logger, metrics: CallMetrics): CallObserver {
  return (call) => {
    const err = call.error;
    const rpc = rpcName(call.method);
    const code = err === undefined ? "ok" : (Code[err instanceof ConnectError ? err.code : Code.Internal] ?? "Unknown");
    const ms = performance.now() - call.startedAt;
    metrics.observeCall(rpc, call.protocol, code, ms / 1000);
    log.info("call", {
      rpc,
      protocol: call.protocol,
      subject: call.subject,
      org: call.org,
      code,
      ms: Math.round(ms * 10) / 10,
      requestId: call.requestId,
    });
  };
}

/** Tells the observer of each call that reaches the interceptors; outermost, so it sees the code the client gets. */
export function createCallLogInterceptor(observe: CallObserver): Interceptor {
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
      observe({
        method: req.method,
        protocol: callProtocolOf(req),
        requestId: req.header.get(requestIdHeader) ?? undefined,
        subject: caller?.subject,
        org: caller?.orgId ?? req.header.get(orgHeader) ?? undefined,
        error,
        startedAt,
      });
    }
  };
}
