import type { ServiceImpl } from "@connectrpc/connect";
import { type ExecuteDeps, runTrigger, testAction } from "../../execution/execute.js";
import { getExecution, listExecutions } from "../../query/execution-queries.js";
import type { ExecutionService } from "../../../gen/actiond/v1/execution_pb.js";
import { callerOf } from "../caller-key.js";
import { durationToNs } from "../management/action-convert.js";
import { contextFromPb, executionBytes, executionToPb, listExecutionsToFilter } from "./execution-convert.js";

/** actiond.v1.ExecutionService: each RPC converts, calls, converts back. */
export function createExecutionService(deps: ExecuteDeps): ServiceImpl<typeof ExecutionService> {
  return {
    async runTrigger(req, ctx) {
      const input = {
        flowType: req.flowType,
        triggerType: req.triggerType,
        context: contextFromPb(req.context),
        callerTimeoutMs: ctx.timeoutMs(),
        signal: ctx.signal,
      };
      return { execution: executionToPb(await runTrigger(deps, callerOf(ctx), input)) };
    },
    async testAction(req, ctx) {
      const record = await testAction(deps, callerOf(ctx), {
        name: req.name,
        script: req.script,
        timeoutNs: durationToNs(req.timeout),
        allowedToFail: req.allowedToFail,
        flowType: req.flowType,
        triggerType: req.triggerType,
        context: req.context && contextFromPb(req.context),
        executionId: req.executionId || undefined,
        callerTimeoutMs: ctx.timeoutMs(),
        signal: ctx.signal,
      });
      return { execution: executionToPb(record) };
    },
    async listExecutions(req, ctx) {
      const bytes = { maxBytes: deps.pageMaxBytes, sizeOf: executionBytes };
      const filter = listExecutionsToFilter(req);
      const { total, executions } = await deps.records.read((sql) => listExecutions(sql, callerOf(ctx).orgId, filter, bytes));
      return { totalResult: BigInt(total), result: executions.map(executionToPb) };
    },
    async getExecution(req, ctx) {
      return { execution: executionToPb(await deps.records.read((sql) => getExecution(sql, callerOf(ctx).orgId, req.id))) };
    },
  };
}
