import type { ZitadelCallHead, ZitadelCallVerifier } from "../../auth/zitadel-call/index.js";
import { isDomainError } from "../../domain/errors.js";
import { executionErrors } from "../../domain/execution-errors.js";
import type { ExecutionRecord } from "../../domain/execution-record.js";
import type { SecretOpener } from "../../domain/secrets.js";
import type { ZitadelTargetSecrets } from "../../domain/zitadel-target.js";
import { type ExecuteDeps, runTrigger } from "../../execution/execute.js";
import type { Logger } from "../../logger.js";
import type { JsonObject } from "../../runtime/index.js";
import { targetCallErrors } from "./target-call-errors.js";

export interface ZitadelTargetCallDeps {
  /** RunTrigger's own: the pool, the trigger budget, the fair queue and the execution log. */
  execute: ExecuteDeps;
  /** Opens the target's signing keys and JWE private key. */
  secrets: SecretOpener;
  verifier: ZitadelCallVerifier;
  log: Logger;
}

/** A call whose headers were accepted: its target, secrets opened, and the headers the body is verified with. */
export interface AcceptedCall {
  readonly target: ZitadelTargetSecrets;
  readonly head: ZitadelCallHead;
}

/** What the endpoint answers a call it ran or passed on, and what its log line says about it. */
export interface TargetCallAnswer {
  status: number;
  body: object;
  /**
   * How it ended, for the log line and the metrics: the org's flow ran and
   * its changes are the answer, the flow failed and the target's failure
   * policy answered, or nothing ran and ZITADEL's own values come back.
   */
  result: "answered" | "flow-failed" | "unchanged";
  /** "function/<name>" or "request/<full method>"; undefined for a condition answered unchanged. */
  zitadelFunction?: string;
  /** The org whose flow ran; undefined when none did. */
  orgId?: string;
  executionId?: string;
}

/** One call on its way through the handler. */
export interface CallScope {
  deps: ZitadelTargetCallDeps;
  target: ZitadelTargetSecrets;
  /** Aborts when ZITADEL hangs up or the server stops: the run stops too. */
  signal: AbortSignal;
}

/**
 * Runs the org's trigger exactly as RunTrigger does (execution/execute.ts):
 * the same pool, budget, fair queue and record, the record marked with the
 * target and what ZITADEL called. ZITADEL sends no deadline: the trigger
 * budget bounds the run. A context the trigger refuses (a value nested too
 * deeply, say) came from the payload, so it is the payload that is refused.
 */
export async function runForZitadel(
  scope: CallScope,
  orgId: string,
  trigger: { flowType: string; triggerType: string; context: JsonObject },
  zitadelFunction: string,
): Promise<ExecutionRecord> {
  const { target } = scope;
  const { flowType, triggerType, context } = trigger;
  try {
    return await runTrigger(
      scope.deps.execute,
      { orgId, subject: `zitadel-target/${target.id}` },
      { flowType, triggerType, context, signal: scope.signal, origin: { zitadelTargetId: target.id, zitadelFunction } },
    );
  } catch (err) {
    throw isDomainError(err) && err.id === badContextId ? targetCallErrors.unusableContext(err.text) : err;
  }
}

const badContextId = executionErrors.badContext("", "").id;
