import crypto from "node:crypto";
import { Code, type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionVersionService } from "../../gen/actiond/v1/action_version_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { headerInterceptor } from "../support/management-clients.js";
import { createOrgWithToken, issueToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { callFailure as failure, restJson } from "../support/rest-json.js";

let server: TestServer;
let owner: { orgId: string; token: string };
let viewerToken: string;
let other: { orgId: string; token: string };
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await createOrgWithToken(server, ["ORG_OWNER"], "authors");
  other = await createOrgWithToken(server, ["ORG_OWNER"], "strangers");
  c = clientsFor(server.baseUrl, owner.token);
  viewerToken = await issueToken(server, owner.orgId, ["ORG_OWNER_VIEWER"], "a viewer");
});
afterAll(() => server.close());

const rest = (method: string, route: string, token = owner.token, body?: unknown) => restJson(server.baseUrl, method, route, `Bearer ${token}`, body);

function versionsClient(token: string): Client<typeof ActionVersionService> {
  const transport = createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${token}` }))] });
  return createClient(ActionVersionService, transport);
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("hex");
const script = (name: string, claim: string) => `function ${name}(ctx, api) { api.v1.claims.setClaim("v", "${claim}"); }`;

describe("action versions over gRPC and REST", () => {
  it("makes each create and update a version, lists and reads them, rolls back as a new version, and names the version in each run", async () => {
    const grpc = versionsClient(owner.token);
    const { id } = await c.management.createAction({ name: "versioned", script: script("versioned", "one") });
    await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [id] });
    const run = async () => (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    const first = await run();
    expect([first.runs[0]!.actionVersion, first.mutations?.claims?.v]).toEqual([1, "one"]);

    await c.management.updateAction({ id, name: "versioned", script: script("versioned", "two"), timeout: { seconds: 5n } });
    // Deactivating and reactivating change no version.
    await c.management.deactivateAction({ id });
    await c.management.reactivateAction({ id });
    await c.management.updateAction({ id, name: "versioned", script: script("versioned", "three"), timeout: { seconds: 5n }, allowedToFail: true });
    const third = await run();
    expect([third.runs[0]!.actionVersion, third.mutations?.claims?.v]).toEqual([3, "three"]);

    const { versions } = await grpc.listActionVersions({ actionId: id });
    expect(versions.map((v) => [v.version, v.name, Number(v.timeout?.seconds ?? 0n), v.allowedToFail, v.scriptSha256, v.script])).toEqual([
      [1, "versioned", 0, false, sha256(script("versioned", "one")), ""],
      [2, "versioned", 5, false, sha256(script("versioned", "two")), ""],
      [3, "versioned", 5, true, sha256(script("versioned", "three")), ""],
    ]);
    expect(versions[0]!.scriptLength).toBe(Buffer.byteLength(script("versioned", "one")));
    expect(versions.every((v) => v.creator !== "" && v.creationDate !== undefined)).toBe(true);

    const { version: v1 } = await grpc.getActionVersion({ actionId: id, version: 1 });
    expect(v1?.script).toBe(script("versioned", "one"));
    const v2Rest = await rest("GET", `/v1/actions/${id}/versions/2`);
    expect([v2Rest.status, v2Rest.json.version.script]).toEqual([200, script("versioned", "two")]);
    const listRest = await rest("GET", `/v1/actions/${id}/versions`);
    expect(listRest.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);

    // A rollback is a new version equal to the old one; GetAction and the next run see it at once.
    const rolled = await grpc.rollbackAction({ actionId: id, version: 1 });
    expect(rolled.version).toMatchObject({ version: 4, name: "versioned", allowedToFail: false, scriptSha256: sha256(script("versioned", "one")) });
    expect((await c.management.getAction({ id })).action?.script).toBe(script("versioned", "one"));
    const fourth = await run();
    expect([fourth.runs[0]!.actionVersion, fourth.mutations?.claims?.v]).toEqual([4, "one"]);
    const rolledRest = await rest("POST", `/v1/actions/${id}/versions/3/_rollback`, owner.token, {});
    expect([rolledRest.status, rolledRest.json.version.version]).toEqual([200, 5]);
    expect((await grpc.listActionVersions({ actionId: id })).versions.map((v) => v.scriptSha256)).toEqual(
      ["one", "two", "three", "one", "three"].map((s) => sha256(script("versioned", s))),
    );

    // Stored records name the version that ran.
    const stored = await c.execution.listExecutions({ actionId: id });
    expect(stored.result.map((e) => e.runs[0]!.actionVersion)).toEqual([4, 3, 1]);

    // Rolling back to what it already is changes nothing, as an update without changes.
    expect((await failure(grpc.rollbackAction({ actionId: id, version: 5 }))).code).toBe(Code.FailedPrecondition);
    expect((await failure(grpc.getActionVersion({ actionId: id, version: 9 }))).detailIds).toContain("ACTION-version-not-found");
    expect((await failure(grpc.rollbackAction({ actionId: id, version: 9 }))).code).toBe(Code.NotFound);
  });

  it("keeps versions to the action's org and its writers", async () => {
    const { id } = await c.management.createAction({ name: "private", script: script("private", "x") });
    expect((await failure(versionsClient(other.token).listActionVersions({ actionId: id }))).code).toBe(Code.NotFound);
    expect((await failure(versionsClient(other.token).rollbackAction({ actionId: id, version: 1 }))).code).toBe(Code.NotFound);
    const viewer = versionsClient(viewerToken);
    expect((await viewer.listActionVersions({ actionId: id })).versions).toHaveLength(1);
    expect((await failure(viewer.rollbackAction({ actionId: id, version: 1 }))).code).toBe(Code.PermissionDenied);
    await c.management.deleteAction({ id });
    expect((await failure(versionsClient(owner.token).listActionVersions({ actionId: id }))).code).toBe(Code.NotFound);
  });
});
