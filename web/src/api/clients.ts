import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { ActionVersionService } from "../../../gen/actiond/v1/action_version_pb.js";
import { ExecutionService } from "../../../gen/actiond/v1/execution_pb.js";
import { SecretService } from "../../../gen/actiond/v1/secret_pb.js";
import { ZitadelTargetService } from "../../../gen/actiond/v1/zitadel_target_pb.js";
import { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { createApiTransport } from "./transport.js";

export interface Api {
  management: Client<typeof ManagementService>;
  execution: Client<typeof ExecutionService>;
  zitadelTargets: Client<typeof ZitadelTargetService>;
  secrets: Client<typeof SecretService>;
  actionVersions: Client<typeof ActionVersionService>;
}

export function createApi(transport: Transport = createApiTransport()): Api {
  return {
    management: createClient(ManagementService, transport),
    execution: createClient(ExecutionService, transport),
    zitadelTargets: createClient(ZitadelTargetService, transport),
    secrets: createClient(SecretService, transport),
    actionVersions: createClient(ActionVersionService, transport),
  };
}

/** The signed-in session's clients: the transport reads the session per call. */
export const api = createApi();
