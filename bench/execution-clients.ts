/** grpc-js clients for bench/execute.ts: RunTrigger, plus the management calls that set its actions up. */
import { create, type JsonObject } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  ExecutionService,
  RunTriggerRequestSchema,
  RunTriggerResponseSchema,
  type RunTriggerResponse,
} from "../gen/actiond/v1/execution_pb.js";
import {
  CreateActionRequestSchema,
  CreateActionResponseSchema,
  GetActionRequestSchema,
  GetActionResponseSchema,
  ListFlowTypesRequestSchema,
  ListFlowTypesResponseSchema,
  ManagementService,
  SetTriggerActionsRequestSchema,
  SetTriggerActionsResponseSchema,
} from "../gen/zitadel/management/v1/management_pb.js";
import { grpcJsUnary } from "./clients.js";

export interface ActionSpec {
  name: string;
  script: string;
  timeoutSeconds?: number;
}

export interface ExecutionClient {
  /** Creates the actions and binds them, in order, to flowType/triggerType; resolves with their ids. */
  bind(flowType: string, triggerType: string, actions: ActionSpec[]): Promise<string[]>;
  runTrigger(flowType: string, triggerType: string, context: JsonObject): Promise<RunTriggerResponse>;
  getAction(id: string): Promise<unknown>;
  listFlowTypes(): Promise<unknown>;
  close(): void;
}

/** One h2c channel (grpc-js multiplexes every call on it), as a ZITADEL instance would call actiond. */
export function grpcJsExecution(target: string, token: string): ExecutionClient {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const mgmt = `/${ManagementService.typeName}`;
  const addAction = grpcJsUnary(client, `${mgmt}/CreateAction`, CreateActionRequestSchema, CreateActionResponseSchema);
  const setTrigger = grpcJsUnary(client, `${mgmt}/SetTriggerActions`, SetTriggerActionsRequestSchema, SetTriggerActionsResponseSchema);
  const get = grpcJsUnary(client, `${mgmt}/GetAction`, GetActionRequestSchema, GetActionResponseSchema);
  const flowTypes = grpcJsUnary(client, `${mgmt}/ListFlowTypes`, ListFlowTypesRequestSchema, ListFlowTypesResponseSchema);
  const run = grpcJsUnary(client, `/${ExecutionService.typeName}/RunTrigger`, RunTriggerRequestSchema, RunTriggerResponseSchema);
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${token}`);
  const listFlowTypesRequest = create(ListFlowTypesRequestSchema);
  return {
    async bind(flowType, triggerType, actions) {
      const ids: string[] = [];
      for (const a of actions) {
        const timeout = a.timeoutSeconds === undefined ? undefined : { seconds: BigInt(a.timeoutSeconds), nanos: 0 };
        const created = await addAction(create(CreateActionRequestSchema, { name: a.name, script: a.script, timeout }), md.clone());
        ids.push(created.id);
      }
      await setTrigger(create(SetTriggerActionsRequestSchema, { flowType, triggerType, actionIds: ids }), md.clone());
      return ids;
    },
    runTrigger: (flowType, triggerType, context) => run(create(RunTriggerRequestSchema, { flowType, triggerType, context }), md.clone()),
    getAction: (id) => get(create(GetActionRequestSchema, { id }), md.clone()),
    listFlowTypes: () => flowTypes(listFlowTypesRequest, md.clone()),
    close: () => client.close(),
  };
}
