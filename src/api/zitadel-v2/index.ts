/**
 * ZITADEL Actions v2 ↔ Actions v1: the pure conversions that let a v2 target
 * run an org's v1 scripts (docs/zitadel-v2-target.md). No I/O: the endpoint
 * verifies the call, runs the trigger and sends the answer.
 *
 * @module
 */
export { type AddHumanUserAnswer, v1MutationsToAddHumanUserRequest } from "./add-human-user.js";
export { type V1FunctionRun, v2FunctionToV1 } from "./function-context.js";
export { type V2FunctionAnswer, v1MutationsToV2Response } from "./function-answer.js";
export type { Mapped } from "./mapped.js";
export {
  addHumanUserMethod,
  isRequestConditionBody,
  type PassThrough,
  type PreCreationRun,
  type V2RequestRun,
  v2RequestToV1,
} from "./request-condition.js";
export { findV2Function, type V1Trigger, type V2FunctionName, v2FunctionTriggers } from "./v2-functions.js";
