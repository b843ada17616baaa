import type { JsonObject } from "@bufbuild/protobuf";
import type { AcceptedCall, ZitadelTargetCalls } from "../api/zitadel-target-call/index.js";
import type { Logger } from "../logger.js";
import type { Guard } from "./auth-gate.js";
import { callCompleted, callSignal } from "./call-signal.js";
import { discardUnreadBody } from "./early-answer.js";
import { joinedHeader, type NodeRequest, type NodeResponse, requestPath, watchClient } from "./node-http.js";
import { discardBody, readBody } from "./read-body.js";
import type { RequestBudget } from "./request-budget.js";
import { requestIdOf } from "./request-id.js";
import { writeJson } from "./rest/write-json.js";
import { untilAborted } from "./signal-race.js";
import { type TargetCallRefusal, targetCallRefusalOf, transportRefusals, writeTargetCallRefusal } from "./zitadel-target-refusal.js";

export interface ZitadelTargetRouteOptions {
  calls: ZitadelTargetCalls;
  /** The largest body a call may have (--zitadel-target-max-body-bytes). */
  maxBodyBytes: number;
  /** The process-wide budget every request body is read through. */
  budget: RequestBudget;
  /** Aborted when the shutdown grace period is over: a call still running answers 503. */
  stop: AbortSignal;
  metrics: TargetCallMetrics;
  log: Logger;
}

/** What the route counts of each call, besides its log line (docs/observability.md). */
export interface TargetCallMetrics {
  /** `result`: the answer's (TargetCallAnswer) or, for a refusal, the reason ZITADEL receives in `error`. */
  observeTargetCall(result: string, seconds: number): void;
}

export interface ZitadelTargetRoute {
  /** The auth gate's guard for `/zitadel/v2/targets/{id}`: method, target and signature header, before any body. */
  guard: Guard<string, TargetCallRefusal>;
  /** Serves a call the guard let through and returns true; false for any other request. */
  serve(req: NodeRequest, res: NodeResponse): boolean;
}

const endpointPath = /^\/zitadel\/v2\/targets\/([^/]+)$/;

/**
 * `POST /zitadel/v2/targets/{id}`, the endpoint ZITADEL Actions v2 calls
 * (docs/zitadel-v2-target.md, The endpoint). The gate checks the method, the
 * target and the signature header on the headers; then the body is read
 * through the request budget under its own cap and handed, exactly as
 * received, to the API's handler. One log line per call, whatever its end,
 * and the call counted with the same result.
 */
export function createZitadelTargetRoute(opts: ZitadelTargetRouteOptions): ZitadelTargetRoute {
  const { calls, log, metrics } = opts;
  const accepted = new WeakMap<NodeRequest, { call: AcceptedCall; startedAt: number }>();

  const refused = (req: NodeRequest, targetId: string, refusal: TargetCallRefusal, startedAt: number) => {
    const ms = performance.now() - startedAt;
    metrics.observeTargetCall(refusal.error, ms / 1000);
    log.info("ZITADEL target call refused", {
      targetId,
      reason: refusal.error,
      message: refusal.message,
      status: refusal.status,
      remote: req.socket?.remoteAddress,
      ms: roundedMs(ms),
      requestId: requestIdOf(req),
    });
    return refusal;
  };

  async function serveCall(req: NodeRequest, res: NodeResponse, { call, startedAt }: { call: AcceptedCall; startedAt: number }) {
    const targetId = call.target.id;
    const refuse = (refusal: TargetCallRefusal) => writeTargetCallRefusal(res, refused(req, targetId, refusal, startedAt));
    const spent = opts.budget.admit(req, res);
    if (spent) {
      refuse(targetCallRefusalOf(spent, log));
      return discardUnreadBody(req);
    }
    // Listened for before the body is read: ZITADEL may hang up at any point.
    const client = watchClient(res);
    const read = await readBody(req, opts.maxBodyBytes);
    if (read.kind === "aborted") return;
    if (read.kind === "too-large") {
      refuse(transportRefusals.tooLarge(opts.maxBodyBytes));
      // As the REST gateway does: a body a little too large keeps its connection, a flood loses it.
      return discardBody(req, Math.max(opts.maxBodyBytes, 1 << 20));
    }
    const { signal, end } = callSignal({ client, stop: opts.stop });
    try {
      const answer = await untilAborted(signal, () => calls.answer(call, read.bytes, signal));
      writeJson(res, answer.status, answer.body as JsonObject);
      const ms = performance.now() - startedAt;
      metrics.observeTargetCall(answer.result, ms / 1000);
      log.info("ZITADEL target call", {
        targetId,
        function: answer.zitadelFunction,
        org: answer.orgId,
        execution: answer.executionId,
        result: answer.result,
        status: answer.status,
        ms: roundedMs(ms),
        requestId: requestIdOf(req),
      });
    } catch (err) {
      refuse(targetCallRefusalOf(err, log));
    } finally {
      end(callCompleted);
    }
  }

  return {
    guard: {
      claim(req) {
        const match = endpointPath.exec(requestPath(req));
        return match ? decodedId(match[1]!) : undefined;
      },
      async check(req, targetId) {
        const startedAt = performance.now();
        if (req.method !== "POST") return refused(req, targetId, transportRefusals.methodNotAllowed(), startedAt);
        try {
          accepted.set(req, { call: await calls.open(targetId, (name) => joinedHeader(req, name)), startedAt });
          return undefined;
        } catch (err) {
          return refused(req, targetId, targetCallRefusalOf(err, log), startedAt);
        }
      },
      refuse(req, res, refusal) {
        writeTargetCallRefusal(res, refusal);
        discardUnreadBody(req);
      },
    },
    serve(req, res) {
      const entry = accepted.get(req);
      if (!entry) return false;
      serveCall(req, res, entry).catch((err: unknown) => writeTargetCallRefusal(res, targetCallRefusalOf(err, log)));
      return true;
    },
  };
}

/** An id that does not decode cannot name a target; kept as sent, it is simply not found. */
function decodedId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function roundedMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
