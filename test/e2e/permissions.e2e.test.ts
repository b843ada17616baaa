import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcJsCaller, type ManagementCaller, type MethodName, restCaller } from "../support/management-clients.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

/**
 * The oracle, written out independently of the proto's auth_option: what
 * each RPC needs and what each role grants (ZITADEL's defaults).
 */
const needs: Record<MethodName, string> = {
  listActions: "org.action.read",
  getAction: "org.action.read",
  createAction: "org.action.write",
  updateAction: "org.action.write",
  deactivateAction: "org.action.write",
  reactivateAction: "org.action.write",
  deleteAction: "org.action.delete",
  listFlowTypes: "org.flow.read",
  listFlowTriggerTypes: "org.flow.read",
  getFlow: "org.flow.read",
  clearFlow: "org.flow.delete",
  setTriggerActions: "org.flow.write",
};
const all = ["org.action.read", "org.action.write", "org.action.delete", "org.flow.read", "org.flow.write", "org.flow.delete"];
const grants: Record<string, string[]> = {
  IAM_OWNER: all,
  ORG_OWNER: all,
  ORG_OWNER_VIEWER: ["org.action.read", "org.flow.read"],
  ACTION_EXECUTOR: [],
};

let n = 0;
/** Requests that pass validation, so only authorization decides whether they get past the door. */
const requests: { [M in MethodName]: () => unknown } = {
  listActions: () => ({}),
  getAction: () => ({ id: "1" }),
  createAction: () => ({ name: `perm_${++n}`, script: "function x() {}" }),
  updateAction: () => ({ id: "1", name: "x", script: "y" }),
  deactivateAction: () => ({ id: "1" }),
  reactivateAction: () => ({ id: "1" }),
  deleteAction: () => ({ id: "1" }),
  listFlowTypes: () => ({}),
  listFlowTriggerTypes: () => ({ type: "1" }),
  getFlow: () => ({ type: "1" }),
  clearFlow: () => ({ type: "1" }),
  setTriggerActions: () => ({ flowType: "1", triggerType: "1", actionIds: [] }),
};

type Expected = "through" | "PermissionDenied:AUTH-5mWD2" | "NotFound:AUTHZ-cdgFk" | "PermissionDenied:AUTH-Bs7Ds";
const authIds = ["AUTH-5mWD2", "AUTHZ-cdgFk", "AUTH-Bs7Ds", "AUTH-7fs1e"];

let server: TestServer;
const orgs: Record<string, { orgId: string; token: string }> = {};
let otherOrg: string;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of Object.keys(grants)) orgs[role] = await createOrgWithToken(server, [role], `org of ${role}`);
  otherOrg = (await createOrgWithToken(server, ["ORG_OWNER"], "someone else's org")).orgId;
});
afterAll(() => server.close());

function expected(role: string, method: MethodName, orgCase: string): Expected {
  if (orgCase === "unknown org") return "PermissionDenied:AUTH-Bs7Ds";
  if (orgCase === "other org" && role !== "IAM_OWNER") return "NotFound:AUTHZ-cdgFk";
  return grants[role]!.includes(needs[method]) ? "through" : "PermissionDenied:AUTH-5mWD2";
}

async function observe(caller: ManagementCaller, method: MethodName, token: string, orgId?: string): Promise<Expected | string> {
  try {
    await caller.call(method, requests[method]() as never, { authorization: `Bearer ${token}`, orgId });
    return "through";
  } catch (e) {
    const err = e as WireError;
    const authId = err.detailIds.find((id) => authIds.includes(id));
    if (!authId) return "through"; // the handler answered (e.g. NotFound for id "1"): authorization let it in
    return `${err.code === 7 ? "PermissionDenied" : err.code === 5 ? "NotFound" : `code ${err.code}`}:${authId}`;
  }
}

describe.each(["grpc", "rest"])("permission matrix over %s", (transport) => {
  it("gives every role × RPC × org the expected answer, and lets nothing through that should not pass", async () => {
    const caller = transport === "grpc" ? grpcJsCaller(server.target) : restCaller(server.baseUrl);
    const mismatches: string[] = [];
    let wronglyThrough = 0;
    let checked = 0;
    for (const role of Object.keys(grants)) {
      const { orgId, token } = orgs[role]!;
      const cases: [string, string | undefined][] = [
        ["own org", orgId],
        ["no header", undefined],
        ["other org", otherOrg],
        ["unknown org", "424242"],
      ];
      for (const method of Object.keys(needs) as MethodName[]) {
        for (const [orgCase, header] of cases) {
          const want = expected(role, method, orgCase === "no header" ? "own org" : orgCase);
          const got = await observe(caller, method, token, header);
          checked++;
          if (got !== want) mismatches.push(`${role} ${method} ${orgCase}: want ${want}, got ${got}`);
          if (got === "through" && want !== "through") wronglyThrough++;
        }
      }
    }
    caller.close();
    expect(checked).toBe(4 * 12 * 4);
    expect(mismatches).toEqual([]);
    expect(wronglyThrough).toBe(0);
  });
});
