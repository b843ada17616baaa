import type { JsonValue } from "../../runtime/index.js";
import { addHumanUserMethod, v1MutationsToAddHumanUserRequest, v2RequestToV1 } from "../zitadel-v2/index.js";
import { type CallScope, runForZitadel, type TargetCallAnswer } from "./call-scope.js";
import { failedFlowAnswer } from "./failure-policy.js";
import { routeToOrg } from "./org-routing.js";
import { targetCallErrors } from "./target-call-errors.js";

/**
 * A request or response condition: AddHumanUser's request runs v1 Pre
 * Creation and is answered whole, with the setters applied; anything else is
 * answered unchanged, with a log line (docs/zitadel-v2-target.md, AddHumanUser).
 */
export async function answerRequestCondition(scope: CallScope, payload: JsonValue): Promise<TargetCallAnswer> {
  const mapped = v2RequestToV1(payload);
  if (!mapped.ok) throw targetCallErrors.badPayload(mapped.field, mapped.message);
  const run = mapped.value;
  const { target, deps } = scope;
  if (run.kind === "pass-through") {
    deps.log.info("ZITADEL target call answered unchanged", { targetId: target.id, fullMethod: run.fullMethod, reason: run.reason });
    return { status: 200, body: run.answer, result: "unchanged" };
  }
  const zitadelFunction = `request${addHumanUserMethod}`;
  const orgId = await routeToOrg(scope, run);
  if (!orgId) return { status: 200, body: run.request, result: "unchanged", zitadelFunction };
  const record = await runForZitadel(scope, orgId, run, zitadelFunction);
  const about = { zitadelFunction, orgId, executionId: record.id };
  if (record.aborted) return { ...failedFlowAnswer(target.failurePolicy, record), result: "flow-failed", ...about };
  const answer = v1MutationsToAddHumanUserRequest(run.request, record.mutations);
  for (const change of answer.notApplied) {
    deps.log.info("AddHumanUser: a change has no field in the request", { targetId: target.id, executionId: record.id, change });
  }
  return { status: 200, body: answer.request, result: "answered", ...about };
}
