import { describe, expect, it } from "vitest";
import { emptyMutations, type JsonObject, type Mutations, type UserChanges } from "../../runtime/index.js";
import { addHumanUserRequest, base64 } from "../../../test/support/zitadel-v2-payloads.js";
import { v1MutationsToAddHumanUserRequest } from "./add-human-user.js";

function apply(request: JsonObject, user: UserChanges, more: Partial<Mutations> = {}) {
  return v1MutationsToAddHumanUserRequest(request, { ...emptyMutations(), user, ...more });
}

describe("v1MutationsToAddHumanUserRequest", () => {
  it("returns the request as it was when nothing changed, without touching the input", () => {
    const request = addHumanUserRequest();
    const answer = apply(request, {});
    expect(answer).toEqual({ request: addHumanUserRequest(), notApplied: [] });
    expect(answer.request).not.toBe(request);
  });

  it("does not modify the request it is given", () => {
    const request = addHumanUserRequest();
    apply(request, { firstName: "X", emailVerified: true }, { metadata: [{ key: "k", value: "1" }] });
    expect(request).toEqual(addHumanUserRequest());
  });

  it.each([
    [{ firstName: "F" }, { profile: { givenName: "F" } }],
    [{ lastName: "L" }, { profile: { familyName: "L" } }],
    [{ nickName: "N" }, { profile: { nickName: "N" } }],
    [{ displayName: "D" }, { profile: { displayName: "D" } }],
    [{ preferredLanguage: "fr" }, { profile: { preferredLanguage: "fr" } }],
    [{ gender: 0 }, { profile: { gender: "GENDER_UNSPECIFIED" } }],
    [{ gender: 2 }, { profile: { gender: "GENDER_MALE" } }],
    [{ username: "u" }, { username: "u" }],
    [{ email: "e@x" }, { email: { email: "e@x" } }],
    [{ emailVerified: true }, { email: { isVerified: true } }],
    [{ emailVerified: false }, {}],
    [{ phone: "+1" }, { phone: { phone: "+1" } }],
    [{ phoneVerified: true }, { phone: { isVerified: true } }],
  ] as [UserChanges, JsonObject][])("applies %j to a request that had none of it", (user, expected) => {
    expect(apply({}, user).request).toEqual(expected);
  });

  it("drops sendCode or returnCode when the email or phone is verified, as the oneof demands", () => {
    const { request } = apply(addHumanUserRequest(), { emailVerified: true, phoneVerified: true });
    expect(request.email).toEqual({ email: "minnie@mouse.com", isVerified: true });
    expect(request.phone).toEqual({ phone: "+41791234567", isVerified: true });
  });

  it("removes isVerified when a script sets the flag to false", () => {
    const request = { email: { email: "a@b.c", isVerified: true }, phone: { phone: "+1", is_verified: true } };
    expect(apply(request, { emailVerified: false, phoneVerified: false }).request).toEqual({ email: { email: "a@b.c" }, phone: { phone: "+1" } });
  });

  it("removes the phone when a script sets an empty number", () => {
    const { request } = apply(addHumanUserRequest(), { phone: "", phoneVerified: true });
    expect(request).not.toHaveProperty("phone");
  });

  it("writes to the spelling the request already uses", () => {
    const request = { user_name: "ignored", profile: { given_name: "A", family_name: "B" }, email: { email: "a@b.c", send_code: {} } };
    expect(apply(request, { firstName: "Z", emailVerified: true }).request).toEqual({
      user_name: "ignored",
      profile: { given_name: "Z", family_name: "B" },
      email: { email: "a@b.c", isVerified: true },
    });
  });

  it("appends metadata as base64 of the JSON text v1 stores, after the request's own", () => {
    const { request } = apply(addHumanUserRequest(), {}, { metadata: [{ key: "plan", value: '{"tier":"gold"}' }, { key: "s", value: '"x"' }] });
    expect(request.metadata).toEqual([
      { key: "source", value: base64('"signup"') },
      { key: "plan", value: base64('{"tier":"gold"}') },
      { key: "s", value: base64('"x"') },
    ]);
    expect(apply({}, {}, { metadata: [{ key: "k", value: "1" }] }).request).toEqual({ metadata: [{ key: "k", value: base64("1") }] });
  });

  it("lists what AddHumanUserRequest has no place for", () => {
    const answer = apply({}, { preferredUsername: "p" }, { userGrants: [{ projectId: "p1", projectGrantId: "", roles: ["r"] }] });
    expect(answer.request).toEqual({});
    expect(answer.notApplied).toEqual([
      "1 user grant(s) dropped: AddHumanUserRequest has no field for grants",
      "preferred username dropped: AddHumanUserRequest has no field for it",
    ]);
  });
});
