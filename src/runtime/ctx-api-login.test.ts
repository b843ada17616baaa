import { describe, expect, it } from "vitest";
import { action, run } from "./test-support.js";

/** Evaluates `expression` in an action and reads it back through the trigger's own api (metadata, or a grant). */
async function observe(expression: string, flowType: string, triggerType: string, context = {}) {
  const body =
    triggerType === "3"
      ? `api.v1.appendUserGrant({ projectId: JSON.stringify(${expression}) });`
      : `api.v1.user.appendMetadata("out", ${expression});`;
  const result = await run(action(body), { flowType, triggerType, context });
  expect(result.error).toBeUndefined();
  if (triggerType === "3") return JSON.parse(result.mutations.userGrants[0]?.projectId ?? "null");
  const entry = result.mutations.metadata.find((m) => m.key === "out");
  return entry ? JSON.parse(entry.value) : undefined;
}

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

describe("Pre Creation (flows 1 and 3, trigger 2)", () => {
  const user = { username: "new", human: { firstName: "N", email: "" } };

  it.each(["1", "3"])("exposes ctx.v1.user, authRequest, httpRequest and org metadata in flow %s", async (flowType) => {
    const out = await observe("[ctx.v1.user.username, ctx.v1.user.human.firstName, ctx.v1.authRequest.id, ctx.v1.httpRequest.method, ctx.v1.org.getMetadata().count]", flowType, "2", {
      user,
      authRequest,
      httpRequest,
      orgMetadata,
    });
    expect(out).toEqual(["new", "N", "ar1", "GET", 1]);
  });

  it("offers setGender and setUsername but no setPreferredUsername", async () => {
    const result = await run(action('api.setGender(2); api.setUsername("renamed"); if (api.setPreferredUsername) throw new Error("x");'), {
      flowType: "3",
      triggerType: "2",
      context: { user },
    });
    expect(result.mutations.user).toEqual({ gender: 2, username: "renamed" });
  });

  it("rejects a gender outside 0..3", async () => {
    const result = await run(action("api.setGender(7);"), { flowType: "3", triggerType: "2" });
    expect(result.error?.message).toBe("TypeError: gender must be 0 (unspecified), 1 (female), 2 (male) or 3 (diverse)");
  });

  it("ignores a verified flag while the user has no email or phone, as ZITADEL's nil check does", async () => {
    const ignored = await run(action("api.setEmailVerified(true); api.setPhoneVerified(true);"), { flowType: "1", triggerType: "2", context: { user } });
    expect(ignored.mutations.user).toEqual({});
    const applied = await run(action('api.setEmail("a@b"); api.setEmailVerified(true);'), { flowType: "1", triggerType: "2", context: { user } });
    expect(applied.mutations.user).toEqual({ email: "a@b", emailVerified: true });
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

describe("Post Creation (flows 1 and 3, trigger 3)", () => {
  const user = { id: "u1", username: "ada", loginNames: ["ada@org"], human: { firstName: "Ada" } };

  it.each(["1", "3"])("exposes getUser() as a fresh object in flow %s", async (flowType) => {
    const out = await observe("[ctx.v1.getUser().id, ctx.v1.getUser() !== ctx.v1.getUser(), ctx.v1.getUser().human.firstName, ctx.v1.org.getMetadata().count]", flowType, "3", {
      user,
    });
    expect(out).toEqual(["u1", true, "Ada", 0]);
  });

  it("appends user grants through appendUserGrant and api.userGrants", async () => {
    const script = action(`
      api.v1.appendUserGrant({ projectId: "p1", roles: ["admin", 3, "viewer"] });
      api.v1.appendUserGrant({ projectID: "p2", projectGrantID: "g2" });
      api.userGrants.push({ projectID: "p3", projectGrantID: "", roles: ["r"] });
      if (api.userGrants.length !== 3) throw new Error("not shared");`);
    const result = await run(script, { flowType: "1", triggerType: "3", context: { user } });
    expect(result.mutations.userGrants).toEqual([
      { projectId: "p1", projectGrantId: "", roles: ["admin", "viewer"] },
      { projectId: "p2", projectGrantId: "g2", roles: [] },
      { projectId: "p3", projectGrantId: "", roles: ["r"] },
    ]);
  });

  it('throws "projectId not set" for a grant without a project', async () => {
    const result = await run(action('api.v1.appendUserGrant({ roles: ["x"] });'), { flowType: "3", triggerType: "3" });
    expect(result.error?.message).toBe("Error: projectId not set");
    const pushed = await run(action("api.userGrants.push({ roles: [] });"), { flowType: "3", triggerType: "3" });
    expect(pushed.error?.message).toBe("api.userGrants[0]: projectId not set");
  });
});
