import type { JsonValue } from "../../runtime/index.js";
import { v1MutationsToV2Response, v2FunctionToV1 } from "../zitadel-v2/index.js";
import { type CallScope, runForZitadel, type TargetCallAnswer } from "./call-scope.js";
import { failedFlowAnswer } from "./failure-policy.js";
import { routeToOrg } from "./org-routing.js";
import { targetCallErrors } from "./target-call-errors.js";

/**
 * A function condition (preuserinfo, preaccesstoken, presamlresponse): runs
 * the v1 trigger it replaces and answers what the actions changed in v2's
 * shape, `{}` when nothing changed (docs/zitadel-v2-target.md, Functions).
 */
export async function answerFunction(scope: CallScope, payload: JsonValue): Promise<TargetCallAnswer> {
  const mapped = v2FunctionToV1(payload);
  if (!mapped.ok) throw targetCallErrors.badPayload(mapped.field, mapped.message);
  const run = mapped.value;
  const zitadelFunction = `function/${run.function}`;
  const orgId = await routeToOrg(scope, { orgId: run.orgId });
  if (!orgId) return { status: 200, body: {}, result: "unchanged", zitadelFunction };
  const record = await runForZitadel(scope, orgId, run, zitadelFunction);
  const about = { zitadelFunction, orgId, executionId: record.id };
  if (record.aborted) return { ...failedFlowAnswer(scope.target.failurePolicy, record), result: "flow-failed", ...about };
  return { status: 200, body: v1MutationsToV2Response(run.function, record.mutations), result: "answered", ...about };
}
