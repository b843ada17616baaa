/**
 * ZITADEL's own published Node clients, used as their READMEs describe,
 * against actiond: @zitadel/node (nice-grpc + ts-proto, gRPC) and
 * @zitadel/client (connect-es + @zitadel/proto, over gRPC-Web, Connect and
 * gRPC). Every message type here is ZITADEL's, none is actiond's.
 */
import { type Client, Code, ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createManagementServiceClient } from "@zitadel/client/v1";
import { createAccessTokenInterceptor, createManagementClient, type ManagementServiceClient } from "@zitadel/node/dist/api/index.js";
import { ActionState as NodeActionState } from "@zitadel/node/dist/api/generated/zitadel/action.js";
import { TextQueryMethod as NodeTextQueryMethod } from "@zitadel/node/dist/api/generated/zitadel/object.js";
import { ActionState } from "@zitadel/proto/zitadel/action_pb.js";
import type { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { TextQueryMethod } from "@zitadel/proto/zitadel/object_pb.js";
import { ClientError, Metadata, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  // Neither package exposes a close: createManagementClient keeps its nice-grpc
  // channel private, and connect-node transports have none. Closing the server
  // sends GOAWAY / ends the keep-alive connections they hold.
  await server.close();
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

describe("@zitadel/node createManagementClient (gRPC over h2c)", () => {
  let client: ManagementServiceClient;

  beforeAll(() => {
    // An http:// endpoint makes nice-grpc's createChannel pick insecure credentials.
    client = createManagementClient(server.baseUrl, createAccessTokenInterceptor(server.adminToken));
  });

  it("runs an action through its whole lifecycle and binds it to a flow", async () => {
    const created = await client.createAction({ name: "zn_lifecycle", script: "function zn_lifecycle(ctx, api) {}" });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.details?.sequence.toString()).toBe("1");
    expect(created.details?.creationDate).toBeInstanceOf(Date);
    expect(created.details?.resourceOwner).toMatch(/^\d+$/);

    const { action } = await client.getAction({ id: created.id });
    expect(action).toMatchObject({ id: created.id, name: "zn_lifecycle", state: NodeActionState.ACTION_STATE_ACTIVE, allowedToFail: false });
    expect(action?.timeout?.seconds.toString()).toBe("20");

    const listed = await client.listActions({
      queries: [{ actionNameQuery: { name: "zn_life", method: NodeTextQueryMethod.TEXT_QUERY_METHOD_STARTS_WITH } }],
    });
    expect(listed.result.map((a) => a.id)).toEqual([created.id]);
    expect(listed.details?.totalResult.toString()).toBe("1");

    const updated = await client.updateAction({
      id: created.id,
      name: "zn_lifecycle",
      script: "function zn_lifecycle(ctx, api) { /* v2 */ }",
      timeout: { seconds: 5, nanos: 0 },
      allowedToFail: true,
    });
    expect(updated.details?.sequence.toString()).toBe("2");
    const afterUpdate = (await client.getAction({ id: created.id })).action;
    expect(afterUpdate).toMatchObject({ script: "function zn_lifecycle(ctx, api) { /* v2 */ }", allowedToFail: true });
    expect(afterUpdate?.timeout?.seconds.toString()).toBe("5");

    await client.deactivateAction({ id: created.id });
    expect((await client.getAction({ id: created.id })).action?.state).toBe(NodeActionState.ACTION_STATE_INACTIVE);
    await client.reactivateAction({ id: created.id });
    expect((await client.getAction({ id: created.id })).action?.state).toBe(NodeActionState.ACTION_STATE_ACTIVE);

    const flowTypes = await client.listFlowTypes({});
    expect(flowTypes.result.map((f) => f.id)).toEqual(["1", "2", "3", "4"]);
    expect(flowTypes.result[1]?.name).toMatchObject({ key: "Action.Flow.Type.CustomiseToken", localizedMessage: "Complement Token" });
    const triggers = await client.listFlowTriggerTypes({ type: "2" });
    expect(triggers.result.map((t) => t.id)).toEqual(["4", "5"]);

    await client.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [created.id] });
    const { flow } = await client.getFlow({ type: "2" });
    expect(flow?.type?.id).toBe("2");
    expect(flow?.triggerActions.map((t) => [t.triggerType?.id, t.actions.map((a) => a.id)])).toEqual([["5", [created.id]]]);

    await client.clearFlow({ type: "2" });
    expect((await client.getFlow({ type: "2" })).flow?.triggerActions).toEqual([]);

    await client.deleteAction({ id: created.id });
    const gone = await rejection(client.getAction({ id: created.id }));
    expect(gone).toBeInstanceOf(ClientError);
    expect((gone as ClientError).code).toBe(Status.NOT_FOUND);
  });

  it("reports an unknown action as NOT_FOUND with ZITADEL's message", async () => {
    const err = await rejection(client.getAction({ id: "123456789" }));
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({
      code: Status.NOT_FOUND,
      details: "Action not found (QUERY-GEfnb)",
      path: "/zitadel.management.v1.ManagementService/GetAction",
    });
  });

  it("selects another org with x-zitadel-orgid", async () => {
    const other = await createOrgWithToken(server, ["ORG_OWNER"], "org for @zitadel/node");
    const metadata = Metadata({ "x-zitadel-orgid": other.orgId });
    const created = await client.createAction({ name: "zn_other_org", script: "function zn_other_org() {}" }, { metadata });
    expect(created.details?.resourceOwner).toBe(other.orgId);
    expect((await client.getAction({ id: created.id }, { metadata })).action?.name).toBe("zn_other_org");

    const fromDefault = await rejection(client.getAction({ id: created.id }));
    expect(fromDefault).toMatchObject({ code: Status.NOT_FOUND, details: "Action not found (QUERY-GEfnb)" });
  });
});

type ZitadelManagementClient = Client<typeof ManagementService>;

const connectTransports: [string, (baseUrl: string, token: string) => Transport][] = [
  [
    "gRPC-Web",
    (baseUrl, token) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors: [NewAuthorizationBearerInterceptor(token)] }),
  ],
  [
    "Connect",
    (baseUrl, token) => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [NewAuthorizationBearerInterceptor(token)] }),
  ],
  // @zitadel/client's own server-side helper: gRPC over HTTP/2 with the bearer interceptor built in.
  ["gRPC (createServerTransport)", (baseUrl, token) => createServerTransport(token, { baseUrl })],
];

describe.each(connectTransports)("@zitadel/client createManagementServiceClient over %s", (label, transportFor) => {
  let client: ZitadelManagementClient;
  const prefix = `zc_${label.replace(/\W+/g, "_").toLowerCase()}`;

  beforeAll(() => {
    client = createManagementServiceClient(transportFor(server.baseUrl, server.adminToken));
  });

  it("runs an action through its whole lifecycle and binds it to a flow", async () => {
    const name = `${prefix}_lifecycle`;
    const created = await client.createAction({ name, script: `function ${name}(ctx, api) {}` });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.details?.sequence).toBe(1n);
    expect(created.details?.creationDate).toBeDefined();
    const orgId = created.details!.resourceOwner;
    expect(orgId).toMatch(/^\d+$/);

    const { action } = await client.getAction({ id: created.id });
    expect(action).toMatchObject({ id: created.id, name, state: ActionState.ACTIVE, allowedToFail: false });
    expect(action?.timeout?.seconds).toBe(20n);
    expect(action?.details?.resourceOwner).toBe(orgId);

    const listed = await client.listActions({
      queries: [{ query: { case: "actionNameQuery", value: { name: `${prefix}_life`, method: TextQueryMethod.STARTS_WITH } } }],
    });
    expect(listed.result.map((a) => a.id)).toEqual([created.id]);
    expect(listed.details?.totalResult).toBe(1n);

    const updated = await client.updateAction({
      id: created.id,
      name,
      script: `function ${name}(ctx, api) { /* v2 */ }`,
      timeout: { seconds: 5n },
      allowedToFail: true,
    });
    expect(updated.details?.sequence).toBe(2n);
    const afterUpdate = (await client.getAction({ id: created.id })).action;
    expect(afterUpdate).toMatchObject({ script: `function ${name}(ctx, api) { /* v2 */ }`, allowedToFail: true });
    expect(afterUpdate?.timeout?.seconds).toBe(5n);

    await client.deactivateAction({ id: created.id });
    expect((await client.getAction({ id: created.id })).action?.state).toBe(ActionState.INACTIVE);
    await client.reactivateAction({ id: created.id });
    expect((await client.getAction({ id: created.id })).action?.state).toBe(ActionState.ACTIVE);

    const flowTypes = await client.listFlowTypes({});
    expect(flowTypes.result.map((f) => f.id)).toEqual(["1", "2", "3", "4"]);
    expect(flowTypes.result[1]?.name).toMatchObject({ key: "Action.Flow.Type.CustomiseToken", localizedMessage: "Complement Token" });
    const triggers = await client.listFlowTriggerTypes({ type: "2" });
    expect(triggers.result.map((t) => t.id)).toEqual(["4", "5"]);

    const set = await client.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [created.id] });
    expect(set.details?.resourceOwner).toBe(orgId);
    const { flow } = await client.getFlow({ type: "2" });
    expect(flow?.type?.id).toBe("2");
    expect(flow?.triggerActions.map((t) => [t.triggerType?.id, t.actions.map((a) => a.name)])).toEqual([["5", [name]]]);

    await client.clearFlow({ type: "2" });
    expect((await client.getFlow({ type: "2" })).flow?.triggerActions).toEqual([]);

    await client.deleteAction({ id: created.id });
    const gone = ConnectError.from(await rejection(client.getAction({ id: created.id })));
    expect(gone.code).toBe(Code.NotFound);
  });

  it("reports an unknown action as NotFound with ZITADEL's message and ErrorDetail", async () => {
    const err = await rejection(client.getAction({ id: "123456789" }));
    expect(err).toBeInstanceOf(ConnectError);
    const e = err as ConnectError;
    expect(e.code).toBe(Code.NotFound);
    expect(e.rawMessage).toBe("Action not found (QUERY-GEfnb)");
    expect(e.findDetails(ErrorDetailSchema).map((d) => [d.id, d.message])).toEqual([["QUERY-GEfnb", "Action not found"]]);
  });

  it("selects another org with x-zitadel-orgid", async () => {
    const other = await createOrgWithToken(server, ["ORG_OWNER"], `org for @zitadel/client ${label}`);
    const headers = { "x-zitadel-orgid": other.orgId };
    const name = `${prefix}_other_org`;
    const created = await client.createAction({ name, script: `function ${name}() {}` }, { headers });
    expect(created.details?.resourceOwner).toBe(other.orgId);
    expect((await client.getAction({ id: created.id }, { headers })).action?.name).toBe(name);

    const fromDefault = ConnectError.from(await rejection(client.getAction({ id: created.id })));
    expect(fromDefault.code).toBe(Code.NotFound);
    expect(fromDefault.rawMessage).toBe("Action not found (QUERY-GEfnb)");
  });
});
