import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { headerInterceptor } from "./management-clients.js";

/** gRPC clients of both services for one token (and optionally one org). */
export function clientsFor(baseUrl: string, token: string, orgId?: string): {
  execution: Client<typeof ExecutionService>;
  management: Client<typeof ManagementService>;
} {
  const transport = createGrpcTransport({
    baseUrl,
    interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${token}`, orgId }))],
  });
  return { execution: createClient(ExecutionService, transport), management: createClient(ManagementService, transport) };
}
