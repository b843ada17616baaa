import { describe, expect, it } from "vitest";
import { action, claimsOf, run } from "../../test/support/runtime-harness.js";

/** Evaluates `expression` in a Complement Token action and reads it back as the claim "out". */
async function observe(expression: string, context = {}, triggerType = "5") {
  const result = await run(action(`api.v1.claims.setClaim("out", ${expression});`), { flowType: "2", triggerType, context });
  expect(result.error).toBeUndefined();
  return claimsOf(result).out;
}

const user = {
  id: "u1",
  creationDate: "2024-01-01T00:00:00Z",
  resourceOwner: "org1",
  sequence: 9,
  state: 1,
  username: "ada",
  loginNames: ["ada@org"],
  preferredLoginName: "ada@org",
  human: { firstName: "Ada", lastName: "Lovelace", gender: 1, email: "ada@org", isEmailVerified: true },
};
const userGrants = [
  { id: "g1", projectId: "p1", projectName: "P", roles: ["admin"], sequence: 3, orgMetadata: [{ key: "plan", value: "gold" }] },
  { id: "g2", projectId: "p2", roles: [] },
];

describe("Complement Token (flow 2, triggers 4 and 5)", () => {
  it.each(["4", "5"])("exposes claims, user, grants, org metadata and the client id (trigger %s)", async (triggerType) => {
    const context = { claims: { sub: "u1" }, user, userGrants, orgMetadata: [{ key: "o", value: "1" }], clientId: "client-1" };
    const out = await observe(
      `[ctx.v1.claims.sub, ctx.v1.getUser().human.lastName, ctx.v1.user.grants.count, ctx.v1.user.grants.grants[0].roles, ctx.v1.org.getMetadata().metadata[0].value, ctx.v1.application.getClientId()]`,
      context,
      triggerType,
    );
    expect(out).toEqual(["u1", "Lovelace", 2, ["admin"], 1, "client-1"]);
  });

  it("answers getUser() with ZITADEL's user shape", async () => {
    expect(await observe("ctx.v1.getUser()", { user })).toEqual({
      id: "u1",
      creationDate: "2024-01-01T00:00:00Z",
      changeDate: "",
      resourceOwner: "org1",
      sequence: 9,
      state: 1,
      username: "ada",
      loginNames: ["ada@org"],
      preferredLoginName: "ada@org",
      human: {
        firstName: "Ada",
        lastName: "Lovelace",
        nickName: "",
        displayName: "",
        avatarKey: "",
        preferredLanguage: "",
        gender: 1,
        email: "ada@org",
        isEmailVerified: true,
        phone: "",
        isPhoneVerified: false,
      },
    });
  });

  it("answers a machine user with `machine` instead of `human`", async () => {
    const machine = { id: "m1", username: "bot", machine: { name: "Bot", description: "ci" } };
    expect(await observe("[ctx.v1.getUser().machine, 'human' in ctx.v1.getUser()]", { user: machine })).toEqual([
      { name: "Bot", description: "ci" },
      false,
    ]);
  });

  it("answers each grant's org metadata", async () => {
    const out = await observe("ctx.v1.user.grants.grants.map((g) => g.getOrgMetadata().metadata.map((m) => m.value))", { userGrants });
    expect(out).toEqual([["gold"], []]);
  });

  it("sets claims, ignoring ZITADEL's reserved prefix and logging duplicates", async () => {
    const script = action(`
      api.v1.claims.setClaim("team", "blue");
      api.v1.claims.setClaim("team", "red");
      api.v1.claims.setClaim("sub", "other");
      api.v1.claims.setClaim("urn:zitadel:iam:org:project:roles", { admin: {} });
      api.v1.claims.appendLogIntoClaims("hello");`, "addTeam");
    const result = await run(script, { name: "addTeam", flowType: "2", triggerType: "5", context: { claims: { sub: "u1" } } });
    expect(claimsOf(result)).toEqual({ team: "blue" });
    expect(result.mutations.claimLogs).toEqual([
      { action: "addTeam", entries: ['key "team" already exists', 'key "sub" already exists', "hello"] },
    ]);
  });

  it("offers the same pair as the deprecated api.v1.userinfo", async () => {
    const result = await run(action('api.v1.userinfo.setClaim("a", 1); api.v1.userinfo.appendLogIntoClaims("x"); if (api.v1.userinfo.setClaim !== api.v1.claims.setClaim) throw new Error("differs");'), {
      flowType: "2",
      triggerType: "4",
    });
    expect(claimsOf(result)).toEqual({ a: 1 });
    expect(result.mutations.claimLogs[0]?.entries).toEqual(["x"]);
  });

  it("shows a claim set in the same run in ctx.v1.claims", async () => {
    expect(await observe('(api.v1.claims.setClaim("x", { n: 1 }), ctx.v1.claims.x)')).toEqual({ n: 1 });
  });

  it("stores a claim value as JSON at the time of the call", async () => {
    const result = await run(action('var v = { list: [1], when: new Date(0), skip: undefined, f() {} }; api.v1.claims.setClaim("v", v); v.list.push(2); api.v1.claims.setClaim("u", undefined);'));
    expect(claimsOf(result)).toEqual({ v: { list: [1], when: "1970-01-01T00:00:00.000Z" }, u: null });
  });

  it("sets user metadata, which getMetadata() then shows", async () => {
    const context = { userMetadata: [{ key: "old", value: '"1"', sequence: 2 }, { key: "keep", value: "raw text" }] };
    const script = action(`
      api.v1.user.setMetadata("old", { v: 2 });
      api.v1.user.setMetadata("new", [true]);
      api.v1.claims.setClaim("md", ctx.v1.user.getMetadata().metadata.map((m) => [m.key, m.value]));`);
    const result = await run(script, { flowType: "2", triggerType: "5", context });
    expect(result.mutations.metadata).toEqual([
      { key: "old", value: '{"v":2}' },
      { key: "new", value: "[true]" },
    ]);
    expect(claimsOf(result).md).toEqual([
      ["old", { v: 2 }],
      ["keep", "raw text"],
      ["new", [true]],
    ]);
  });

  it("requires exactly two arguments and a string key for setMetadata", async () => {
    expect((await run(action('api.v1.user.setMetadata("k");'))).error?.message).toBe("Error: exactly 2 (key, value) arguments expected");
    expect((await run(action("api.v1.user.setMetadata(1, 2);"))).error?.message).toBe("TypeError: metadata key must be a string");
  });
});

describe("Complement SAMLResponse (flow 4, trigger 6)", () => {
  it("exposes the user, its metadata and grants, and org metadata", async () => {
    const script = action(`api.v1.attributes.setCustomAttribute("out", "", JSON.stringify([
      ctx.v1.getUser().id, ctx.v1.user.getMetadata().count, ctx.v1.user.grants.count, ctx.v1.org.getMetadata().count, typeof ctx.v1.claims,
    ]));`);
    const result = await run(script, { flowType: "4", triggerType: "6", context: { user, userGrants, userMetadata: [{ key: "a", value: "1" }] } });
    expect(JSON.parse(result.mutations.customAttributes[0]?.values[0] ?? "null")).toEqual(["u1", 1, 2, 0, "undefined"]);
  });

  it("sets custom attributes; the first set of a name wins", async () => {
    const script = action(`
      api.v1.attributes.setCustomAttribute("role", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", "admin", "dev");
      api.v1.attributes.setCustomAttribute("role", "other", "ignored");
      api.v1.attributes.setCustomAttribute("empty");
      api.v1.user.setMetadata("saml", "seen");`);
    const result = await run(script, { flowType: "4", triggerType: "6" });
    expect(result.mutations.customAttributes).toEqual([
      { name: "role", nameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", values: ["admin", "dev"] },
      { name: "empty", nameFormat: "", values: [] },
    ]);
    expect(result.mutations.metadata).toEqual([{ key: "saml", value: '"seen"' }]);
  });

  it("has no claims api", async () => {
    const result = await run(action("api.v1.claims.setClaim('a', 1);"), { flowType: "4", triggerType: "6" });
    expect(result.error?.message).toMatch(/^TypeError: cannot read property 'setClaim' of undefined/);
  });
});
