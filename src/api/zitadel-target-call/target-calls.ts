import { findZitadelTarget } from "../../query/zitadel-target-secrets.js";
import { type JsonValue, parseJson } from "../../runtime/index.js";
import { isRequestConditionBody } from "../zitadel-v2/index.js";
import type { AcceptedCall, TargetCallAnswer, ZitadelTargetCallDeps } from "./call-scope.js";
import { answerFunction } from "./function-call.js";
import { answerRequestCondition } from "./request-call.js";
import { targetCallErrors } from "./target-call-errors.js";

/**
 * The endpoint ZITADEL Actions v2 calls, in the two steps the transport takes
 * it in (docs/zitadel-v2-target.md, The endpoint). Refusals are thrown as
 * DomainErrors (target-call-errors.ts); nothing runs before the call is trusted.
 */
export interface ZitadelTargetCalls {
  /**
   * On the headers alone, before any body is read: the target must exist and,
   * for a JSON target, the ZITADEL-Signature header must be well formed and
   * recent. `header` reads a request header by lower-case name.
   */
  open(targetId: string, header: (name: string) => string | undefined): Promise<AcceptedCall>;
  /**
   * With the exact bytes received: verifies them, reads the payload, runs the
   * org's flow and answers in v2's shape.
   */
  answer(call: AcceptedCall, body: Uint8Array, signal: AbortSignal): Promise<TargetCallAnswer>;
}

export function createZitadelTargetCalls(deps: ZitadelTargetCallDeps): ZitadelTargetCalls {
  return {
    async open(targetId, header) {
      const target = await findZitadelTarget(deps.execute.db, deps.secrets, targetId);
      if (!target) throw targetCallErrors.unknownTarget();
      const head = { payloadType: target.payloadType, header };
      const refusal = deps.verifier.preCheck(head);
      if (refusal) throw targetCallErrors.untrusted(refusal);
      return { target, head };
    },
    async answer({ target, head }, body, signal) {
      const verified = await deps.verifier.verify({
        ...head,
        body,
        signingKeys: target.signingKeys.map((k) => k.key),
        issuer: target.issuer || undefined,
        jwePrivateKeyPem: target.jwePrivateKeyPem || undefined,
      });
      if (!verified.ok) throw targetCallErrors.untrusted(verified);
      const payload = parsePayload(verified.json);
      const scope = { deps, target, signal };
      return isRequestConditionBody(payload) ? answerRequestCondition(scope, payload) : answerFunction(scope, payload);
    },
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The trusted JSON, without `__proto__` keys, as the runtime reads what crosses into it. */
function parsePayload(json: Uint8Array): JsonValue {
  try {
    return parseJson(utf8.decode(json));
  } catch (error) {
    // A fixed text: the parser's own would quote the body.
    throw targetCallErrors.badPayload("body", error instanceof RangeError ? "is nested too deeply to read" : "is not JSON in UTF-8");
  }
}
