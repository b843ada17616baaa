import { describe, expect, it } from "vitest";
import { validateContext } from "../../runtime/index.js";
import { base64, camelGrant, ids, oidcPayload, samlPayload, snakeGrant, v1User } from "../../../test/support/zitadel-v2-payloads.js";
import { v2FunctionToV1 } from "./function-context.js";

function converted(payload: Parameters<typeof v2FunctionToV1>[0]) {
  const result = v2FunctionToV1(payload);
  if (!result.ok) throw new Error(`not converted: ${result.field}: ${result.message}`);
  return result.value;
}

const v1Grant = {
  id: ids.grant,
  projectGrantId: ids.projectGrant,
  state: 1,
  userGrantResourceOwner: ids.org,
  userGrantResourceOwnerName: "ACME",
  creationDate: "2025-03-26T13:45:00Z",
  changeDate: "2025-03-26T13:46:00Z",
  sequence: 2,
  userId: ids.user,
  userResourceOwner: ids.org,
  roles: ["admin", "viewer"],
  projectId: ids.project,
  projectName: "Portal",
};

describe("v2FunctionToV1", () => {
  it("builds the Complement Token context from a preuserinfo payload", () => {
    const run = converted(oidcPayload());
    expect(run).toMatchObject({ function: "preuserinfo", flowType: "2", triggerType: "4", orgId: ids.org });
    expect(run.context).toEqual({
      claims: oidcPayload().userinfo,
      user: v1User(),
      userMetadata: [
        {
          key: "tier",
          value: '{"level":2}',
          creationDate: "2025-03-26T13:43:00Z",
          changeDate: "2025-03-26T13:43:00Z",
          resourceOwner: ids.org,
          sequence: 3,
        },
        expect.objectContaining({ key: "note", value: "plain text" }),
      ],
      userGrants: [v1Grant],
      clientId: ids.clientId,
    });
    expect(validateContext(run.flowType, run.triggerType, run.context)).toEqual({ ok: true });
  });

  it("maps preaccesstoken to flow 2 trigger 5", () => {
    const run = converted(oidcPayload("function/preaccesstoken"));
    expect(run).toMatchObject({ function: "preaccesstoken", flowType: "2", triggerType: "5" });
    expect(validateContext("2", "5", run.context)).toEqual({ ok: true });
  });

  it("builds the SAML context without claims or client id, keeping the login names SAML sends", () => {
    const run = converted(samlPayload());
    expect(run).toMatchObject({ function: "presamlresponse", flowType: "4", triggerType: "6", orgId: ids.org });
    expect(Object.keys(run.context).sort()).toEqual(["user", "userGrants"]);
    expect(run.context.user).toMatchObject({ loginNames: ["minnie@acme.localhost", "minnie@mouse.com"] });
    expect(run.context.user).not.toHaveProperty("type");
    expect(validateContext("4", "6", run.context)).toEqual({ ok: true });
  });

  it("ignores userinfo and application on the SAML function, where v1 had neither", () => {
    const payload = { ...samlPayload(), userinfo: { sub: "x" }, application: { client_id: "c" } };
    const run = converted(payload);
    expect(run.context).not.toHaveProperty("claims");
    expect(run.context).not.toHaveProperty("clientId");
    expect(validateContext("4", "6", run.context)).toEqual({ ok: true });
  });

  it.each(["function/preuserinfo", "function.preuserinfo", "preuserinfo"])("accepts the function value %s", (fn) => {
    expect(converted({ ...oidcPayload(), function: fn }).function).toBe("preuserinfo");
  });

  it("accepts grants in snake_case, camelCase and Go's untagged PascalCase alike", () => {
    const pascal = {
      ID: ids.grant,
      GrantID: ids.projectGrant,
      State: 1,
      CreationDate: "2025-03-26T13:45:00Z",
      ChangeDate: "2025-03-26T13:46:00Z",
      Sequence: 2,
      UserID: ids.user,
      Roles: ["admin", "viewer"],
      ResourceOwner: ids.org,
      OrgName: "ACME",
      ProjectID: ids.project,
      ProjectName: "Portal",
      UserResourceOwner: ids.org,
    };
    for (const grant of [snakeGrant(), camelGrant(), pascal]) {
      expect(converted({ ...oidcPayload(), user_grants: [grant] }).context.userGrants).toEqual([v1Grant]);
    }
  });

  it("decodes metadata bytes that are not UTF-8 text without failing, and accepts unpadded base64", () => {
    const payload = { ...oidcPayload(), user_metadata: [{ key: "raw", value: "/w" }, { key: "b", value: base64("ab").replace(/=+$/, "") }] };
    expect(converted(payload).context.userMetadata).toEqual([
      { key: "raw", value: "\uFFFD" },
      { key: "b", value: "ab" },
    ]);
  });

  it("ignores fields it does not use, and treats null as absent", () => {
    const payload = {
      ...oidcPayload(),
      actor: { actor: null, user_id: "u", issuer: "i" },
      some_future_field: { x: 1 },
      user_metadata: null,
      user: { ...oidcPayload().user as object, type: 1, machine: null, encoded_hash: "x" },
    };
    const run = converted(payload);
    expect(run.context).not.toHaveProperty("userMetadata");
    expect(validateContext("2", "4", run.context)).toEqual({ ok: true });
  });

  it("leaves out what the payload does not send", () => {
    const run = converted({ function: "function/preuserinfo", userinfo: { sub: ids.user } });
    expect(run.context).toEqual({ claims: { sub: ids.user } });
    expect(run.orgId).toBeUndefined();
  });

  it("routes by org.id, else by the user's resource owner", () => {
    const { org: _, ...withoutOrg } = oidcPayload();
    expect(converted({ ...oidcPayload(), org: { id: "o-1" } }).orgId).toBe("o-1");
    expect(converted(withoutOrg).orgId).toBe(ids.org);
    expect(converted({ ...withoutOrg, org: { id: "" } }).orgId).toBe(ids.org);
  });

  it("maps a machine user", () => {
    const user = { id: "m1", resource_owner: ids.org, username: "svc", machine: { name: "svc", description: "a robot", access_token_type: 1 } };
    const run = converted({ function: "function/preaccesstoken", user });
    expect(run.context.user).toEqual({ id: "m1", resourceOwner: ids.org, username: "svc", machine: { name: "svc", description: "a robot" } });
  });

  it.each([
    [[], "body", "must be a JSON object"],
    [{}, "function", "is required"],
    [{ function: 3 }, "function", "must be a string"],
    [{ function: "function/preauth" }, "function", '"function/preauth" is no function actiond serves (known: function/preuserinfo, function/preaccesstoken, function/presamlresponse)'],
    [{ function: "preuserinfo", user: "u" }, "user", "must be a JSON object"],
    [{ function: "preuserinfo", user: { human: { gender: "female" } } }, "user.human.gender", "must be an integer"],
    [{ function: "preuserinfo", user: { sequence: 1.5 } }, "user.sequence", "must be an integer"],
    [{ function: "preuserinfo", user: { human: { is_email_verified: "yes" } } }, "user.human.is_email_verified", "must be a boolean"],
    [{ function: "preuserinfo", user: { login_names: ["a", 1] } }, "user.login_names", "must be an array of strings"],
    [{ function: "preuserinfo", userinfo: [1] }, "userinfo", "must be a JSON object"],
    [{ function: "preuserinfo", user_metadata: {} }, "user_metadata", "must be an array"],
    [{ function: "preuserinfo", user_metadata: [{ key: "k", value: "not base64!" }] }, "user_metadata[0].value", "must be base64"],
    [{ function: "preuserinfo", user_grants: [{ roles: "admin" }] }, "user_grants[0].roles", "must be an array of strings"],
    [{ function: "preuserinfo", user_grants: [{ grant_id: 7 }] }, "user_grants[0].grant_id", "must be a string"],
    [{ function: "preuserinfo", application: { client_id: 1 } }, "application.client_id", "must be a string"],
    [{ function: "preuserinfo", org: { id: 1 } }, "org.id", "must be a string"],
  ])("refuses %j naming the field", (payload, field, message) => {
    expect(v2FunctionToV1(payload)).toEqual({ ok: false, field, message });
  });
});
