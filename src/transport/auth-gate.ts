import type { DescMethod } from "@bufbuild/protobuf";
import { type ConnectError, type ContextValues, createContextValues } from "@connectrpc/connect";
import type { Logger } from "../logger.js";
import type { CallObserver } from "./call-log.js";
import { rpcCallProtocol } from "./call-protocol.js";
import { isUnauthenticated, type ResolveCaller, type Verdict, verdictKey } from "./caller-verdict.js";
import { type EarlyAnswer, rpcProtocolOf } from "./early-answer.js";
import { toConnectError } from "./error-mapping.js";
import { joinedHeader, type NodeRequest, type NodeResponse, requestPath } from "./node-http.js";
import { orgHeader } from "./org-header.js";
import { requestIdOf } from "./request-id.js";

/**
 * A family of routes the gate stands before. `claim` says whether a request
 * is one of them (synchronously, so open paths pay nothing), `check` decides
 * on its headers alone, and `refuse` answers a refusal (of type R) in the
 * routes' own form. ZITADEL's target endpoint, which has no token, has a
 * guard whose check reads its signature header; its handler then reads the
 * body under its own small cap (transport/zitadel-target-route.ts). See
 * docs/transport.md, Limits.
 */
export interface Guard<T, R = ConnectError> {
  claim(req: NodeRequest): T | undefined;
  check(req: NodeRequest, claim: T): Promise<R | undefined>;
  refuse(req: NodeRequest, res: NodeResponse, refusal: R): void;
}

/**
 * Runs before any handler, so before any body is read: a request to a guarded
 * route whose guard refuses it is answered at once and its body discarded, so
 * that strangers cannot make the server buffer anything. Returns undefined
 * for a request no guard claims, true when it may be served, false when it
 * has been answered.
 */
export function createAuthGate(guards: Guard<unknown, unknown>[]): (req: NodeRequest, res: NodeResponse) => Promise<boolean> | undefined {
  return (req, res) => {
    for (const guard of guards) {
      const claim = guard.claim(req);
      if (claim === undefined) continue;
      return guard.check(req, claim).then((refusal) => {
        if (refusal === undefined) return true;
        guard.refuse(req, res, refusal);
        return false;
      });
    }
    return undefined;
  };
}

const verdicts = new WeakMap<NodeRequest, Verdict>();

/** The context values a call starts with: the gate's verdict, so the auth interceptor does not verify the token again. */
export function gateContextValues(req: NodeRequest): ContextValues {
  const values = createContextValues();
  const verdict = verdicts.get(req);
  if (verdict) values.set(verdictKey, verdict);
  return values;
}

export interface TokenGuard extends Guard<DescMethod> {
  /**
   * Answers a request refused before it is served for a reason of the
   * server's own (the request budget spent) as the gate answers, and tells
   * the observer when it is a call of a guarded method, so that it is
   * logged and counted like a refused token.
   */
  refuseEarly(req: NodeRequest, res: NodeResponse, err: ConnectError): void;
}

/**
 * The guard of the services that need a bearer token, on their RPC paths and
 * their REST routes. Its check resolves the whole verdict on the headers
 * (transport/caller-verdict.ts) but refuses only Unauthenticated here; any
 * other verdict is carried to the auth interceptor, which raises it in the
 * chain, where every other error is raised (docs/transport.md, Limits).
 */
export function createTokenGuard(opts: {
  resolve: ResolveCaller;
  rpcMethods: Map<string, DescMethod>;
  restMethodOf: (req: NodeRequest) => DescMethod | undefined;
  refuse: EarlyAnswer;
  /** Told the calls refused here, which never reach the call-log interceptor. */
  observe: CallObserver;
  log: Logger;
}): TokenGuard {
  const refused = (req: NodeRequest, method: DescMethod, error: ConnectError, startedAt: number) => {
    const protocol = opts.rpcMethods.has(requestPath(req)) ? rpcCallProtocol(req.headers["content-type"]) : "rest";
    opts.observe({ method, protocol, requestId: requestIdOf(req), org: joinedHeader(req, orgHeader), error, startedAt });
  };
  const guard: TokenGuard = {
    claim(req) {
      const rpc = opts.rpcMethods.get(requestPath(req));
      // A content type no handler takes is answered 415 by connect, before it reads anything.
      if (rpc) return rpcProtocolOf(req) && rpc;
      return opts.restMethodOf(req);
    },
    async check(req, method) {
      const startedAt = performance.now();
      const verdict = await opts.resolve(method, (name) => joinedHeader(req, name) ?? null);
      if (!isUnauthenticated(verdict.error)) {
        verdicts.set(req, verdict);
        return undefined;
      }
      const err = toConnectError(verdict.error, opts.log);
      refused(req, method, err, startedAt);
      return err;
    },
    refuse: opts.refuse,
    refuseEarly(req, res, err) {
      const method = guard.claim(req);
      if (method) refused(req, method, err, performance.now());
      opts.refuse(req, res, err);
    },
  };
  return guard;
}
