import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionFieldName, ActionState, FlowState } from "../../gen/zitadel/action/v1/action_pb.js";
import { TextQueryMethod } from "../../gen/zitadel/v1/object_pb.js";
import { allCallers, type CallHeaders, type ManagementCaller } from "../support/management-clients.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

let server: TestServer;
const callers: ManagementCaller[] = [];

beforeAll(async () => {
  server = await startTestServer();
  callers.push(...allCallers(server.baseUrl, server.target));
});

afterAll(async () => {
  for (const c of callers) c.close();
  await server.close();
});

async function failure(p: Promise<unknown>): Promise<WireError> {
  try {
    await p;
  } catch (err) {
    return err as WireError;
  }
  throw new Error("expected the call to fail");
}

const protocols = ["grpc (grpc-js)", "grpc (connect-node)", "grpc-web", "connect json", "connect binary h2", "rest"];

describe.each(protocols)("ManagementService over %s", (protocol) => {
  let c: ManagementCaller;
  let h: CallHeaders;
  let orgId: string;

  beforeAll(async () => {
    c = callers.find((x) => x.protocol === protocol)!;
    // A fresh org per protocol keeps lists independent; the admin token reaches it through the header.
    orgId = (await createOrgWithToken(server, ["ORG_OWNER"], `org for ${protocol}`)).orgId;
    h = { authorization: `Bearer ${server.adminToken}`, orgId };
  });

  const create = (name: string, extra: { timeout?: { seconds: bigint }; allowedToFail?: boolean } = {}) =>
    c.call("createAction", { name, script: `function ${name}(ctx, api) {}`, ...extra }, h);

  it("creates an ACTIVE action and reads it back with a 20s timeout for 0", async () => {
    const created = await create("first");
    expect(created.id).toMatch(/^\d+$/);
    expect(created.details?.sequence).toBe(1n);
    expect(created.details?.resourceOwner).toBe(orgId);
    expect(created.details?.creationDate).toEqual(created.details?.changeDate);

    const { action } = await c.call("getAction", { id: created.id }, h);
    expect(action).toMatchObject({ id: created.id, name: "first", state: ActionState.ACTIVE, allowedToFail: false });
    expect(action?.timeout?.seconds).toBe(20n);
    expect(action?.details?.sequence).toBe(1n);
    expect(action?.details?.resourceOwner).toBe(orgId);
  });

  it("keeps names unique per org, case-insensitively", async () => {
    await create("Unique");
    const err = await failure(create("uNIQUE"));
    expect(err.code).toBe(Code.AlreadyExists);
    expect(err.message).toBe("Errors.Action.AlreadyExists (V3-DKcYh)");
    expect(err.detailIds).toEqual(["V3-DKcYh"]);
  });

  it("updates as a full replace and refuses an identical update", async () => {
    const { id } = await create("replaced", { timeout: { seconds: 5n }, allowedToFail: true });
    const updated = await c.call("updateAction", { id, name: "replaced", script: "function replaced() {}" }, h);
    expect(updated.details?.sequence).toBe(2n);
    const { action } = await c.call("getAction", { id }, h);
    expect(action).toMatchObject({ script: "function replaced() {}", allowedToFail: false, state: ActionState.ACTIVE });
    expect(action?.timeout?.seconds).toBe(20n);

    const same = await failure(c.call("updateAction", { id, name: "replaced", script: "function replaced() {}" }, h));
    expect(same.code).toBe(Code.FailedPrecondition);
    expect(same.detailIds).toEqual(["ACTION-dg4t2"]);

    const missing = await failure(c.call("updateAction", { id: "1", name: "x", script: "y" }, h));
    expect(missing.code).toBe(Code.NotFound);
  });

  it("deactivates and reactivates with state checks", async () => {
    const { id } = await create("toggled");
    const reactivateActive = await failure(c.call("reactivateAction", { id }, h));
    expect(reactivateActive).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-J53zh"] });

    expect((await c.call("deactivateAction", { id }, h)).details?.sequence).toBe(2n);
    expect((await c.call("getAction", { id }, h)).action?.state).toBe(ActionState.INACTIVE);
    const again = await failure(c.call("deactivateAction", { id }, h));
    expect(again).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-Dgj92"] });

    await c.call("reactivateAction", { id }, h);
    expect((await c.call("getAction", { id }, h)).action?.state).toBe(ActionState.ACTIVE);
    // REST cannot express an empty path segment; the route does not match there.
    if (protocol !== "rest") {
      expect(await failure(c.call("deactivateAction", { id: "" }, h))).toMatchObject({ code: Code.InvalidArgument });
    }
  });

  it("lists with filters, paging, totals and sorting", async () => {
    for (const name of ["list_b%", "list_a", "list_C", "other_list"]) await create(name);
    const names = (r: { result: { name: string }[] }) => r.result.map((a) => a.name);
    const byName = (name: string, method: TextQueryMethod) =>
      c.call("listActions", { queries: [{ query: { case: "actionNameQuery", value: { name, method } } }] }, h);

    expect(names(await byName("list_", TextQueryMethod.STARTS_WITH))).toEqual(["list_b%", "list_a", "list_C"]);
    expect(names(await byName("LIST_c", TextQueryMethod.EQUALS_IGNORE_CASE))).toEqual(["list_C"]);
    expect(names(await byName("list_c", TextQueryMethod.EQUALS))).toEqual([]);
    // % and _ are plain characters, not wildcards.
    expect(names(await byName("b%", TextQueryMethod.ENDS_WITH))).toEqual(["list_b%"]);
    expect(names(await byName("%", TextQueryMethod.CONTAINS))).toEqual(["list_b%"]);
    expect(names(await byName("ST_", TextQueryMethod.CONTAINS_IGNORE_CASE))).toEqual(["list_b%", "list_a", "list_C"]);

    const page = await c.call(
      "listActions",
      {
        query: { offset: 1n, limit: 2, asc: true },
        sortingColumn: ActionFieldName.NAME,
        queries: [{ query: { case: "actionNameQuery", value: { name: "list_", method: TextQueryMethod.STARTS_WITH } } }],
      },
      h,
    );
    expect(page.details?.totalResult).toBe(3n);
    expect(names(page)).toEqual(["list_b%", "list_C"]);

    const desc = await c.call("listActions", { sortingColumn: ActionFieldName.NAME, query: { asc: false } }, h);
    const sorted = names(desc);
    expect(sorted).toEqual([...sorted].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));

    const first = await c.call("listActions", { queries: [{ query: { case: "actionIdQuery", value: { id: desc.result[0]!.id } } }] }, h);
    expect(first.result.map((a) => a.id)).toEqual([desc.result[0]!.id]);

    const inactive = await c.call(
      "listActions",
      { queries: [{ query: { case: "actionStateQuery", value: { state: ActionState.INACTIVE } } }] },
      h,
    );
    expect(inactive.result.every((a) => a.state === ActionState.INACTIVE)).toBe(true);
  });

  it("lists flow types and their triggers", async () => {
    const { result } = await c.call("listFlowTypes", {}, h);
    expect(result.map((f) => f.id)).toEqual(["1", "2", "3", "4"]);
    expect(result[1]?.name).toMatchObject({ key: "Action.Flow.Type.CustomiseToken", localizedMessage: "Complement Token" });
    const triggers = await c.call("listFlowTriggerTypes", { type: "2" }, h);
    expect(triggers.result.map((t) => t.id)).toEqual(["4", "5"]);
    const legacy = await c.call("listFlowTriggerTypes", { type: "FLOW_TYPE_EXTERNAL_AUTHENTICATION" }, h);
    expect(legacy.result.map((t) => t.id)).toEqual(["1", "2", "3"]);
    const unknown = await failure(c.call("listFlowTriggerTypes", { type: "9" }, h));
    expect(unknown).toMatchObject({ code: Code.NotFound, detailIds: ["MANAG-P2OBk"] });
  });

  it("binds actions to triggers in order, checks them, clears and cascades deletes", async () => {
    const a = await create("flow_a");
    const b = await create("flow_b");
    const empty = await c.call("getFlow", { type: "2" }, h);
    expect(empty.flow).toMatchObject({ state: FlowState.ACTIVE, triggerActions: [] });
    expect(empty.flow?.type?.id).toBe("2");

    const set = await c.call("setTriggerActions", { flowType: "2", triggerType: "5", actionIds: [b.id, a.id] }, h);
    expect(set.details?.resourceOwner).toBe(orgId);
    await c.call("setTriggerActions", { flowType: "2", triggerType: "4", actionIds: [a.id] }, h);
    const { flow } = await c.call("getFlow", { type: "2" }, h);
    expect(flow?.triggerActions.map((t) => [t.triggerType?.id, t.actions.map((x) => x.name)])).toEqual([
      ["4", ["flow_a"]],
      ["5", ["flow_b", "flow_a"]],
    ]);
    expect(flow?.details?.sequence).toBeGreaterThan(0n);

    const same = await failure(c.call("setTriggerActions", { flowType: "2", triggerType: "4", actionIds: [a.id] }, h));
    expect(same).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-Nfh52"] });
    const wrong = await failure(c.call("setTriggerActions", { flowType: "2", triggerType: "1", actionIds: [a.id] }, h));
    expect(wrong).toMatchObject({ code: Code.InvalidArgument, detailIds: ["COMMAND-Dfgh6"] });
    const dup = await failure(c.call("setTriggerActions", { flowType: "2", triggerType: "4", actionIds: [a.id, a.id] }, h));
    expect(dup).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-dg422"] });
    const unknownId = await failure(c.call("setTriggerActions", { flowType: "2", triggerType: "4", actionIds: ["42"] }, h));
    expect(unknownId).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-dg422"] });

    await c.call("deleteAction", { id: b.id }, h);
    const afterDelete = await c.call("getFlow", { type: "2" }, h);
    expect(afterDelete.flow?.triggerActions.map((t) => t.actions.map((x) => x.id))).toEqual([[a.id], [a.id]]);
    expect(await failure(c.call("getAction", { id: b.id }, h))).toMatchObject({ code: Code.NotFound });

    await c.call("clearFlow", { type: "2" }, h);
    expect((await c.call("getFlow", { type: "2" }, h)).flow?.triggerActions).toEqual([]);
    const cleared = await failure(c.call("clearFlow", { type: "2" }, h));
    expect(cleared).toMatchObject({ code: Code.FailedPrecondition, detailIds: ["COMMAND-DgGh3"] });

    // Legacy enum names on input, and an unknown flow type reads as "0", never NotFound.
    await c.call("setTriggerActions", { flowType: "FLOW_TYPE_EXTERNAL_AUTHENTICATION", triggerType: "TRIGGER_TYPE_PRE_CREATION", actionIds: [a.id] }, h);
    expect((await c.call("getFlow", { type: "1" }, h)).flow?.triggerActions[0]?.triggerType?.id).toBe("2");
    expect((await c.call("getFlow", { type: "nope" }, h)).flow?.type?.id).toBe("0");
  });

  it("refuses missing and bad tokens, unknown orgs, and other orgs' actions", async () => {
    const missing = await failure(c.call("listFlowTypes", {}, {}));
    expect(missing.code).toBe(Code.Unauthenticated);
    const bad = await failure(c.call("listFlowTypes", {}, { authorization: "Bearer actiond_nope" }));
    expect(bad).toMatchObject({ code: Code.Unauthenticated, detailIds: ["AUTH-7fs1e"] });
    const unknownOrg = await failure(c.call("listFlowTypes", {}, { ...h, orgId: "123" }));
    expect(unknownOrg).toMatchObject({ code: Code.PermissionDenied, detailIds: ["AUTH-Bs7Ds"] });

    const mine = await create("private");
    const other = await createOrgWithToken(server, ["ORG_OWNER"], `other org for ${protocol}`);
    const asOther = { authorization: `Bearer ${other.token}` };
    expect(await failure(c.call("getAction", { id: mine.id }, asOther))).toMatchObject({
      code: Code.NotFound,
      detailIds: ["QUERY-GEfnb"],
      message: "Action not found (QUERY-GEfnb)",
    });
    expect(await failure(c.call("deleteAction", { id: mine.id }, asOther))).toMatchObject({ code: Code.NotFound });
    // An org owner has no membership in another org.
    expect(await failure(c.call("listFlowTypes", {}, { ...asOther, orgId }))).toMatchObject({
      code: Code.NotFound,
      detailIds: ["AUTHZ-cdgFk"],
    });
  });

  it("validates fields and names the field", async () => {
    const empty = await failure(c.call("createAction", { name: "", script: "x" }, h));
    expect(empty.code).toBe(Code.InvalidArgument);
    expect(empty.message).toContain("name");
    const long = await failure(c.call("createAction", { name: "x", script: "y".repeat(10_001) }, h));
    expect(long.message).toContain("script");
    const slow = await failure(c.call("createAction", { name: "x", script: "y", timeout: { seconds: 21n } }, h));
    expect(slow.message).toContain("timeout");
    const noQuery = await failure(c.call("listActions", { queries: [{}] }, h));
    expect(noQuery.code).toBe(Code.InvalidArgument);
    expect(noQuery.message).toContain("query");
    // Auth errors win over validation, as in ZITADEL.
    expect((await failure(c.call("createAction", { name: "", script: "" }, {}))).code).toBe(Code.Unauthenticated);
  });
});
