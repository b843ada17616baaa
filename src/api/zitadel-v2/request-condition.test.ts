import { describe, expect, it } from "vitest";
import { validateContext } from "../../runtime/index.js";
import { addHumanUserBody, addHumanUserRequest, ids } from "../../../test/support/zitadel-v2-payloads.js";
import { v2RequestToV1 } from "./request-condition.js";

function converted(body: Parameters<typeof v2RequestToV1>[0]) {
  const result = v2RequestToV1(body);
  if (!result.ok) throw new Error(`not converted: ${result.field}: ${result.message}`);
  return result.value;
}

function preCreation(body: Parameters<typeof v2RequestToV1>[0]) {
  const run = converted(body);
  if (run.kind !== "pre-creation") throw new Error(`passed through: ${run.reason}`);
  return run;
}

describe("v2RequestToV1", () => {
  it("runs Internal Authentication / Pre Creation for AddHumanUser, with the user the request describes", () => {
    const run = preCreation(addHumanUserBody());
    expect(run).toMatchObject({ kind: "pre-creation", flowType: "3", triggerType: "2", orgId: ids.org, request: addHumanUserRequest() });
    expect(run.context).toEqual({
      user: {
        resourceOwner: ids.org,
        username: "minnie",
        human: {
          firstName: "Minnie",
          lastName: "Mouse",
          preferredLanguage: "en",
          gender: 1,
          email: "minnie@mouse.com",
          phone: "+41791234567",
        },
      },
    });
    expect(validateContext("3", "2", run.context)).toEqual({ ok: true });
  });

  it("runs External Authentication / Pre Creation when idpLinks is not empty, and Internal when it is", () => {
    const linked = { ...addHumanUserRequest(), idpLinks: [{ idpId: "idp1", userId: "ext-42", userName: "minnie@idp" }] };
    expect(preCreation(addHumanUserBody(linked)).flowType).toBe("1");
    expect(validateContext("1", "2", preCreation(addHumanUserBody(linked)).context)).toEqual({ ok: true });
    expect(preCreation(addHumanUserBody({ ...addHumanUserRequest(), idpLinks: [] })).flowType).toBe("3");
  });

  it("shows the user id, verified flags and the email as username when the request has no username", () => {
    const { username: _, ...request } = addHumanUserRequest();
    const run = preCreation(
      addHumanUserBody({ ...request, userId: "u-1", email: { email: "a@b.c", isVerified: true }, phone: { phone: "+1", isVerified: true } }),
    );
    expect(run.context.user).toMatchObject({ id: "u-1", username: "a@b.c", human: { email: "a@b.c", isEmailVerified: true, phone: "+1", isPhoneVerified: true } });
  });

  it("reads proto field names and enum numbers too, as protojson accepts them", () => {
    const request = { user_id: "u-2", organization: { org_id: "o-2" }, profile: { given_name: "A", family_name: "B", gender: 2 }, email: { email: "a@b.c", is_verified: true } };
    const run = preCreation(addHumanUserBody(request));
    expect(run.orgId).toBe("o-2");
    expect(run.context.user).toMatchObject({ id: "u-2", human: { firstName: "A", lastName: "B", gender: 2, isEmailVerified: true } });
  });

  it("routes by the request's organization, else by the caller's org; an org named by domain is left to resolve", () => {
    const { organization: _, ...noOrg } = addHumanUserRequest();
    expect(preCreation(addHumanUserBody(noOrg)).orgId).toBe("312909075211870001");
    const byDomain = preCreation(addHumanUserBody({ ...noOrg, organization: { orgDomain: "acme.localhost" } }));
    expect(byDomain.orgId).toBeUndefined();
    expect(byDomain.orgDomain).toBe("acme.localhost");
    expect(byDomain.context.user).not.toHaveProperty("resourceOwner");
  });

  it("passes any other method through with its request unchanged", () => {
    const request = { userId: "u-1", profile: { givenName: "X" } };
    const run = converted({ ...addHumanUserBody(), fullMethod: "/zitadel.user.v2.UserService/UpdateHumanUser", request });
    expect(run).toEqual({
      kind: "pass-through",
      fullMethod: "/zitadel.user.v2.UserService/UpdateHumanUser",
      answer: request,
      reason: "no v1 trigger is served for /zitadel.user.v2.UserService/UpdateHumanUser",
    });
  });

  it("passes the v2beta AddHumanUser and a body without request through, the latter as {}", () => {
    expect(converted({ ...addHumanUserBody(), fullMethod: "/zitadel.user.v2beta.UserService/AddHumanUser" }).kind).toBe("pass-through");
    expect(converted({ fullMethod: "/zitadel.session.v2.SessionService/ListSessions" })).toMatchObject({ kind: "pass-through", answer: {} });
  });

  it("answers a response condition with its response unchanged, even on AddHumanUser", () => {
    const response = { userId: "u-1", details: { sequence: "3" }, emailCode: "ABC" };
    const run = converted({ ...addHumanUserBody(), response });
    expect(run).toMatchObject({ kind: "pass-through", answer: response, reason: "a response condition: no v1 trigger is served for it" });
  });

  it.each([
    ["x", "body", "must be a JSON object"],
    [{ fullMethod: 1 }, "fullMethod", "must be a string"],
    [{ ...addHumanUserBody(), request: undefined }, "request", "is required for AddHumanUser"],
    [{ ...addHumanUserBody(), request: "x" }, "request", "must be a JSON object"],
    [{ ...addHumanUserBody(), response: [] }, "response", "must be a JSON object"],
    [addHumanUserBody({ profile: { givenName: 1 } }), "request.profile.givenName", "must be a string"],
    [addHumanUserBody({ profile: { gender: "GENDER_OTHER" } }), "request.profile.gender", "must be one of GENDER_UNSPECIFIED, GENDER_FEMALE, GENDER_MALE, GENDER_DIVERSE or 0-3"],
    [addHumanUserBody({ profile: { gender: 4 } }), "request.profile.gender", "must be one of GENDER_UNSPECIFIED, GENDER_FEMALE, GENDER_MALE, GENDER_DIVERSE or 0-3"],
    [addHumanUserBody({ email: { email: "a", isVerified: "true" } }), "request.email.isVerified", "must be a boolean"],
    [addHumanUserBody({ idpLinks: {} }), "request.idpLinks", "must be an array"],
    [addHumanUserBody({ organization: { orgId: 5 } }), "request.organization.orgId", "must be a string"],
  ])("refuses %j naming the field", (body, field, message) => {
    expect(v2RequestToV1(body)).toEqual({ ok: false, field, message });
  });
});
