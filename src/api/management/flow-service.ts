import type { ServiceImpl } from "@connectrpc/connect";
import { clearFlow, setTriggerActions } from "../../command/flow-commands.js";
import { findFlowType, findTriggerType, flowTypes, unspecifiedTriggerType } from "../../domain/flow.js";
import { flowErrors } from "../../domain/flow-errors.js";
import { getFlow } from "../../query/flow-queries.js";
import type { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { callerOf } from "../caller-key.js";
import { flowToPb, flowTypeToPb, triggerTypeToPb } from "./flow-convert.js";
import type { ManagementDeps } from "./management-deps.js";
import { writeDetailsToPb } from "./object-details.js";

type FlowRpcs = "listFlowTypes" | "listFlowTriggerTypes" | "getFlow" | "clearFlow" | "setTriggerActions";

/** The flow RPCs: each converts, calls a command or query, converts back. */
export function createFlowRpcs({ commands, db }: ManagementDeps): Pick<ServiceImpl<typeof ManagementService>, FlowRpcs> {
  return {
    listFlowTypes() {
      return { result: flowTypes.map(flowTypeToPb) };
    },
    listFlowTriggerTypes(req) {
      const flow = findFlowType(req.type);
      if (!flow) throw flowErrors.unknownFlowOnListTriggers();
      return { result: flow.triggerTypeIds.map((id) => triggerTypeToPb(findTriggerType(id)!)) };
    },
    async getFlow(req, ctx) {
      const flowType = findFlowType(req.type)?.id ?? "0";
      const view = await getFlow(db, callerOf(ctx).orgId, flowType);
      return { flow: flowToPb(req.type, view, (id) => findTriggerType(id) ?? unspecifiedTriggerType) };
    },
    async clearFlow(req, ctx) {
      return { details: writeDetailsToPb(await clearFlow(commands, callerOf(ctx), req.type)) };
    },
    async setTriggerActions(req, ctx) {
      return { details: writeDetailsToPb(await setTriggerActions(commands, callerOf(ctx), req)) };
    },
  };
}
