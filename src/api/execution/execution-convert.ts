import { create, type JsonObject as PbJsonObject, toBinary } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ExecutionRecord, RunRecord } from "../../domain/execution-record.js";
import type { ExecutionFilter } from "../../query/execution-queries.js";
import { pageOf } from "../../query/page.js";
import { type JsonObject, type Mutations, tokenClaims } from "../../runtime/index.js";
import type { LogLevel as RuntimeLogLevel, Outcome as RuntimeOutcome } from "../../runtime/index.js";
import {
  type ActionRun,
  ActionRunSchema,
  type Execution,
  ExecutionSchema,
  type ListExecutionsRequest,
  LogLevel,
  type Mutations as PbMutations,
  MutationsSchema,
  Outcome,
} from "../../../gen/actiond/v1/execution_pb.js";
import { nsToDuration } from "../management/action-convert.js";

const outcomes: Record<RuntimeOutcome, Outcome> = {
  succeeded: Outcome.SUCCEEDED,
  failed: Outcome.FAILED,
  timed_out: Outcome.TIMED_OUT,
  out_of_memory: Outcome.OUT_OF_MEMORY,
};

const logLevels: Record<RuntimeLogLevel, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

const msToDuration = (ms: number) => nsToDuration(Math.round(ms * 1_000_000));

/** The request's context (protobuf-es gives a Struct as plain JSON); absent means `{}`. */
export function contextFromPb(context: PbJsonObject | undefined): JsonObject {
  return (context ?? {}) as JsonObject;
}

function runToPb(run: RunRecord): ActionRun {
  return create(ActionRunSchema, {
    actionId: run.actionId,
    actionVersion: run.actionVersion ?? 0,
    name: run.name,
    allowedToFail: run.allowedToFail,
    outcome: outcomes[run.outcome],
    duration: msToDuration(run.durationMs),
    error: run.error && { message: run.error.message, line: run.error.line ?? 0, column: run.error.column ?? 0 },
    logs: run.logs.map((l) => ({ level: logLevels[l.level], message: l.message })),
  });
}

function mutationsToPb(m: Mutations): PbMutations {
  return create(MutationsSchema, {
    claims: tokenClaims(m) as PbJsonObject,
    user: { ...m.user },
    metadata: m.metadata.map((x) => ({ key: x.key, value: x.value })),
    userGrants: m.userGrants.map((g) => ({ projectId: g.projectId, projectGrantId: g.projectGrantId, roles: [...g.roles] })),
    customAttributes: m.customAttributes.map((a) => ({ name: a.name, nameFormat: a.nameFormat, values: [...a.values] })),
  });
}

export function executionToPb(record: ExecutionRecord): Execution {
  return create(ExecutionSchema, {
    id: record.id,
    flowType: record.flowType,
    triggerType: record.triggerType,
    startedAt: timestampFromDate(record.startedAt),
    duration: msToDuration(record.durationMs),
    aborted: record.aborted,
    runs: record.runs.map(runToPb),
    mutations: mutationsToPb(record.mutations),
    zitadelTargetId: record.zitadelTargetId ?? "",
    zitadelFunction: record.zitadelFunction ?? "",
  });
}

/** A record's size on the wire, in protobuf bytes: what a ListExecutions page is budgeted in. */
export function executionBytes(record: ExecutionRecord): number {
  return toBinary(ExecutionSchema, executionToPb(record)).byteLength;
}

const outcomeNames = Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [v, k])) as Record<Outcome, RuntimeOutcome | undefined>;

export function listExecutionsToFilter(req: ListExecutionsRequest): ExecutionFilter {
  return {
    ...pageOf(req.offset, req.limit),
    actionId: req.actionId || undefined,
    flowType: req.flowType || undefined,
    triggerType: req.triggerType || undefined,
    outcome: outcomeNames[req.outcome],
    startedAfter: req.startedAfter && timestampDate(req.startedAfter),
    startedBefore: req.startedBefore && timestampDate(req.startedBefore),
    zitadelTargetId: req.zitadelTargetId || undefined,
  };
}
