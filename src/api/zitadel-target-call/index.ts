/**
 * A call from ZITADEL Actions v2 to a ZITADEL target's endpoint: trusted,
 * routed to an org, run as RunTrigger runs a trigger, answered in v2's shape
 * (docs/zitadel-v2-target.md, The endpoint). The transport's route
 * (transport/zitadel-target-route.ts) reads the request and writes the answer.
 *
 * @module
 */
export type { AcceptedCall, TargetCallAnswer, ZitadelTargetCallDeps } from "./call-scope.js";
export { createZitadelTargetCalls, type ZitadelTargetCalls } from "./target-calls.js";
