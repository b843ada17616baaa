import type { ServiceImpl } from "@connectrpc/connect";
import type { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { createActionRpcs } from "./action-service.js";
import { createFlowRpcs } from "./flow-service.js";
import type { ManagementDeps } from "./management-deps.js";

export type { ManagementDeps } from "./management-deps.js";

/** ZITADEL's ManagementService, limited to the 12 action and flow RPCs. */
export function createManagementService(deps: ManagementDeps): ServiceImpl<typeof ManagementService> {
  return { ...createActionRpcs(deps), ...createFlowRpcs(deps) };
}
