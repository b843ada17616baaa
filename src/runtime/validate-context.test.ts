import { describe, expect, it } from "vitest";
import { contextFieldsFor } from "./context-fields.js";
import { allTriggers } from "./triggers.js";
import { validateContext } from "./validate-context.js";

describe("contextFieldsFor()", () => {
  it("lists the fields each trigger reads", () => {
    const names = (flow: string, trigger: string) => contextFieldsFor(flow, trigger)?.map((f) => f.name);
    expect(names("1", "1")).toEqual([
      "accessToken", "idToken", "refreshToken", "idTokenClaims", "externalUser", "providerInfo", "authRequest", "httpRequest", "authError", "orgMetadata",
    ]);
    expect(names("3", "1")).toEqual(["authMethod", "authError", "authRequest", "httpRequest"]);
    expect(names("1", "2")).toEqual(["user", "authRequest", "httpRequest", "orgMetadata"]);
    expect(names("3", "3")).toEqual(["user", "authRequest", "httpRequest", "orgMetadata"]);
    expect(names("2", "4")).toEqual(["claims", "user", "userMetadata", "userGrants", "orgMetadata", "clientId"]);
    expect(names("4", "6")).toEqual(["user", "userMetadata", "userGrants", "orgMetadata"]);
  });

  it("says where the script sees each field", () => {
    expect(contextFieldsFor("2", "5")?.find((f) => f.name === "user")?.exposedAs).toBe("ctx.v1.getUser()");
    expect(contextFieldsFor("1", "2")?.find((f) => f.name === "user")?.exposedAs).toBe("ctx.v1.user");
  });

  it("knows exactly ZITADEL's nine flow/trigger pairs", () => {
    expect(allTriggers().map((t) => `${t.flowType}/${t.triggerType}`)).toEqual(["1/1", "1/2", "1/3", "2/4", "2/5", "3/1", "3/2", "3/3", "4/6"]);
    expect(contextFieldsFor("2", "1")).toBeUndefined();
  });
});

describe("validateContext()", () => {
  it("accepts an empty context and a full one", () => {
    expect(validateContext("2", "5", {})).toEqual({ ok: true });
    const full = {
      claims: { sub: "u1", nested: { a: [1, null, true] } },
      user: { id: "u1", sequence: 3, loginNames: ["a"], human: { firstName: "A", gender: 2, isEmailVerified: true } },
      userMetadata: [{ key: "k", value: "v", sequence: 1 }, { key: "j", value: { any: "json" } }],
      userGrants: [{ id: "g", roles: ["r"], orgMetadata: [{ key: "o", value: "1" }] }],
      orgMetadata: [],
      clientId: "c",
    };
    expect(validateContext("2", "5", full)).toEqual({ ok: true });
  });

  it.each([
    [{ clientId: 1 }, "clientId", "must be a string"],
    [{ user: { human: { email: false } } }, "user.human.email", "must be a string"],
    [{ user: { sequence: 1.5 } }, "user.sequence", "must be an integer"],
    [{ user: { loginNames: ["a", 1] } }, "user.loginNames", "must contain only strings"],
    [{ user: { nickname: "x" } }, "user.nickname", expect.stringMatching(/^is unknown \(known: id, /)],
    [{ userMetadata: [{ value: "v" }] }, "userMetadata[0].key", "is required"],
    [{ userMetadata: {} }, "userMetadata", "must be an array"],
    [{ userGrants: [{ roles: "admin" }] }, "userGrants[0].roles", "must be an array of strings"],
    [{ claims: [] }, "claims", "must be a JSON object"],
    [{ accessToken: "t" }, "accessToken", expect.stringMatching(/^is not part of this trigger's context \(known: claims, /)],
  ])("rejects %j naming %s", (context, field, message) => {
    expect(validateContext("2", "5", context)).toEqual({ ok: false, field, message });
  });

  it("rejects a context that is not an object, and an unknown trigger", () => {
    expect(validateContext("1", "1", [])).toEqual({ ok: false, field: "context", message: "must be a JSON object" });
    expect(validateContext("4", "1", {})).toEqual({ ok: false, field: "triggerType", message: "flow 4 has no trigger 1" });
  });

  it("rejects values nested too deeply", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { deep };
    const check = validateContext("2", "4", { claims: { deep } });
    expect(check.ok).toBe(false);
  });
});
