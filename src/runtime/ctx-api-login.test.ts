import { describe, expect, it } from "vitest";
import { action, observeInLoginFlow as observe, run } from "../../test/support/runtime-harness.js";

const authRequest = { id: "ar1", applicationId: "app", request: { oidc: { scopes: ["openid"] } } };
const httpRequest = { method: "GET", url: "https://login/x", headers: { "user-agent": ["ua"] } };
const orgMetadata = [{ key: "tier", value: '{"level":2}', sequence: 4, changeDate: "2024-01-02T00:00:00Z" }];

describe("External Authentication / Post Authentication (flow 1, trigger 1)", () => {
  const context = {
    accessToken: "at",
    idToken: "it",
    refreshToken: "rt",
    idTokenClaims: { sub: "idp-user", groups: ["a"] },
    externalUser: { externalId: "ext-1", externalIdpId: "idp-1", human: { firstName: "Ada", email: "ada@idp" } },
    providerInfo: { rawInfo: { login: "ada" } },
    authRequest,
    httpRequest,
    orgMetadata,
  };

  it("exposes the legacy top-level token fields and claim getters", async () => {
    const out = await observe("[ctx.accessToken, ctx.idToken, ctx.refreshToken, ctx.getClaim('groups'), ctx.getClaim('none'), JSON.parse(ctx.claimsJSON()).sub]", "1", "1", context);
    expect(out).toEqual(["at", "it", "rt", ["a"], null, "idp-user"]);
  });

  it("exposes ctx.v1 with the external user filled with zero values", async () => {
    const out = await observe("ctx.v1", "1", "1", context);
    expect(out).toEqual({
      externalUser: {
        externalId: "ext-1",
        externalIdpId: "idp-1",
        preferredUsername: "",
        human: {
          firstName: "Ada",
          lastName: "",
          nickName: "",
          displayName: "",
          avatarKey: "",
          preferredLanguage: "",
          gender: 0,
          email: "ada@idp",
          isEmailVerified: false,
          phone: "",
          isPhoneVerified: false,
        },
      },
      providerInfo: { rawInfo: { login: "ada" } },
      authRequest,
      httpRequest,
      authError: "none",
      org: {},
    });
  });

  it("answers org metadata with decoded values", async () => {
    const out = await observe("ctx.v1.org.getMetadata()", "1", "1", context);
    expect(out).toEqual({
      count: 1,
      sequence: 4,
      timestamp: "2024-01-02T00:00:00Z",
      metadata: [{ creationDate: "", changeDate: "2024-01-02T00:00:00Z", resourceOwner: "", sequence: 4, key: "tier", value: { level: 2 } }],
    });
  });

  it("records the user setters", async () => {
    const script = action(`
      api.setFirstName("Grace"); api.setLastName("Hopper"); api.setNickName("amazing"); api.setDisplayName("G. H.");
      api.setPreferredLanguage("de-ch"); api.setPreferredUsername("grace"); api.setEmail("g@h"); api.setEmailVerified(1);
      api.setPhone("+41"); api.setPhoneVerified(false);`);
    const result = await run(script, { flowType: "1", triggerType: "1", context });
    expect(result.mutations.user).toEqual({
      firstName: "Grace",
      lastName: "Hopper",
      nickName: "amazing",
      displayName: "G. H.",
      preferredLanguage: "de-CH",
      preferredUsername: "grace",
      email: "g@h",
      emailVerified: true,
      phone: "+41",
      phoneVerified: false,
    });
  });

  it("has no creation-only setters", async () => {
    const out = await observe("[typeof api.setGender, typeof api.setUsername, typeof api.userGrants]", "1", "1");
    expect(out).toEqual(["undefined", "undefined", "undefined"]);
  });

  it("collects metadata from appendMetadata and the deprecated api.metadata array, JSON-encoded", async () => {
    const script = action(`
      api.v1.user.appendMetadata("a", { nested: [1, "two"] });
      api.metadata.push({ key: "b", value: "text" });
      api.v1.user.appendMetadata("c", undefined);`);
    const result = await run(script, { flowType: "1", triggerType: "1" });
    expect(result.mutations.metadata).toEqual([
      { key: "a", value: '{"nested":[1,"two"]}' },
      { key: "b", value: '"text"' },
      { key: "c", value: "null" },
    ]);
  });

  it("requires exactly two arguments for appendMetadata", async () => {
    for (const args of ['"k"', '"k", 1, 2']) {
      const result = await run(action(`api.v1.user.appendMetadata(${args});`), { flowType: "1", triggerType: "1" });
      expect(result.error?.message).toBe("Error: exactly 2 (key, value) arguments expected");
    }
  });
});

describe("Internal Authentication / Post Authentication (flow 3, trigger 1)", () => {
  it("exposes authMethod, authError, authRequest and httpRequest; the api has only metadata", async () => {
    const out = await observe("[ctx.v1.authMethod, ctx.v1.authError, ctx.v1.authRequest.id, Object.keys(api).sort()]", "3", "1", {
      authMethod: "password",
      authError: "wrong password",
      authRequest,
    });
    expect(out).toEqual(["password", "wrong password", "ar1", ["metadata", "v1"]]);
  });
});
