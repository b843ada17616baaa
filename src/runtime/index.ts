/**
 * The sealed action runtime: runs one ZITADEL Actions v1 script in a fresh
 * QuickJS (quickjs-ng) runtime with ZITADEL's `ctx`/`api`, bounded in time,
 * memory and stack. It imports nothing from the rest of actiond; the caller
 * (a worker thread) supplies the module, the deadline and a synchronous fetch.
 *
 * @module
 */
export { runAction } from "./run-action.js";
export { SessionStock } from "./session-stock.js";
export type { SessionSource } from "./sandbox.js";
export {
  currentSandboxModule,
  getSandboxModule,
  isRetired,
  loadSandboxModule,
  wasmMemoryBytes,
  type SandboxModule,
  type SandboxModuleOptions,
} from "./sandbox-module.js";
export type {
  ActionHost,
  ActionRunRequest,
  ActionRunResult,
  HostFetchRequest,
  HostFetchResponse,
  JsonObject,
  JsonValue,
  LogEntry,
  LogLevel,
  Outcome,
  RunError,
  RunLimits,
} from "./types.js";
export { defaultLimits, maxValueDepth, resolveLimits } from "./limits.js";
export type { ExecutionResults } from "./result-budget.js";
export {
  claimLogKey,
  emptyMutations,
  normalizeMutations,
  packMutations,
  reservedClaimPrefix,
  tokenClaims,
  unpackMutations,
  type ClaimLog,
  type CustomAttribute,
  type MetadataChange,
  type Mutations,
  type PackedMutations,
  type UserChanges,
  type UserGrantChange,
} from "./mutations.js";
export type {
  ExternalUserContext,
  HumanContext,
  MachineContext,
  MetadataContext,
  TriggerContext,
  UserContext,
  UserGrantContext,
} from "./trigger-context.js";
export { contextFieldsFor, type ContextField } from "./context-fields.js";
export { parseJson } from "./safe-json.js";
export type { Shape } from "./context-shapes.js";
export { validateContext, type ContextCheck } from "./validate-context.js";
export { allTriggers, findTrigger, type ModuleName, type TriggerKind, type TriggerSpec } from "./triggers.js";
export {
  claimCellsOf,
  fetchHeader,
  fetchHeaderBytes,
  fetchHeaderSlots,
  runsPerWorker,
  type FromWorker,
  type SecretsDelivery,
  type ToWorker,
  type WorkerRunRequest,
} from "./worker-protocol.js";
