import { describe, expect, it } from "vitest";
import { claimLogKey, emptyMutations, normalizeMutations, packMutations, tokenClaims, unpackMutations } from "./mutations.js";
import { action, claimsOf, run } from "../../test/support/runtime-harness.js";

describe("mutations across the actions of one flow", () => {
  it("shows claims and the log claim of an earlier action in ctx.v1.claims, and refuses to overwrite them", async () => {
    const context = { claims: { sub: "u1" } };
    const first = await run(action('api.v1.claims.setClaim("team", "blue"); api.v1.claims.appendLogIntoClaims("first ran");', "first"), {
      name: "first",
      context,
    });
    const second = await run(
      action(`
        api.v1.claims.setClaim("seen", [ctx.v1.claims.team, ctx.v1.claims["${claimLogKey("first")}"]]);
        api.v1.claims.setClaim("team", "red");`, "second"),
      { name: "second", context, mutations: first.mutations },
    );
    expect(second.outcome).toBe("succeeded");
    expect(claimsOf(second)).toEqual({ team: "blue", seen: ["blue", ["first ran"]] });
    expect(second.mutations.claimLogs).toEqual([
      { action: "first", entries: ["first ran"] },
      { action: "second", entries: ['key "team" already exists'] },
    ]);
    expect(tokenClaims(unpackMutations(second.mutations))).toEqual({
      team: "blue",
      seen: ["blue", ["first ran"]],
      [claimLogKey("first")]: ["first ran"],
      [claimLogKey("second")]: ['key "team" already exists'],
    });
  });

  it("reflects earlier user setters in the external user and in the user about to be created", async () => {
    const external = await run(action('api.setFirstName("Grace"); api.setEmailVerified(true);'), { flowType: "1", triggerType: "1" });
    const afterExternal = await run(action('api.v1.user.appendMetadata("seen", [ctx.v1.externalUser.human.firstName, ctx.v1.externalUser.human.isEmailVerified]);'), {
      flowType: "1",
      triggerType: "1",
      context: { externalUser: { human: { firstName: "Ada" } } },
      mutations: external.mutations,
    });
    expect(afterExternal.mutations.metadata).toEqual([{ key: "seen", value: '["Grace",true]' }]);

    const creating = await run(action('api.setUsername("renamed"); api.setLastName("L");'), { flowType: "3", triggerType: "2" });
    const afterCreating = await run(action('api.v1.user.appendMetadata("seen", [ctx.v1.user.username, ctx.v1.user.human.lastName]);'), {
      flowType: "3",
      triggerType: "2",
      context: { user: { username: "orig" } },
      mutations: creating.mutations,
    });
    expect(afterCreating.mutations.user).toEqual({ username: "renamed", lastName: "L" });
    expect(afterCreating.mutations.metadata).toEqual([{ key: "seen", value: '["renamed","L"]' }]);
  });

  it("shares api.metadata and api.userGrants with later actions, in order", async () => {
    const first = await run(action('api.v1.user.appendMetadata("a", 1);'), { flowType: "1", triggerType: "2" });
    const second = await run(action('api.v1.user.appendMetadata("b", api.metadata.map((m) => m.key));'), {
      flowType: "1",
      triggerType: "2",
      mutations: first.mutations,
    });
    expect(second.mutations.metadata).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: '["a"]' },
    ]);

    const grant = await run(action('api.v1.appendUserGrant({ projectId: "p1" });'), { flowType: "1", triggerType: "3" });
    const next = await run(action('api.v1.appendUserGrant({ projectId: "count-" + api.userGrants.length });'), {
      flowType: "1",
      triggerType: "3",
      mutations: grant.mutations,
    });
    expect(next.mutations.userGrants.map((g) => g.projectId)).toEqual(["p1", "count-1"]);
  });

  it("lets a later action see metadata an earlier one set in the token flow", async () => {
    const first = await run(action('api.v1.user.setMetadata("k", "v1");'));
    const second = await run(action('api.v1.claims.setClaim("md", ctx.v1.user.getMetadata().metadata);'), { mutations: first.mutations });
    expect(claimsOf(second).md).toEqual([{ creationDate: "", changeDate: "", resourceOwner: "", sequence: 0, key: "k", value: "v1" }]);
  });

  it("keeps the first SAML attribute set by an earlier action", async () => {
    const first = await run(action('api.v1.attributes.setCustomAttribute("a", "", "first");'), { flowType: "4", triggerType: "6" });
    const second = await run(action('api.v1.attributes.setCustomAttribute("a", "", "second");'), {
      flowType: "4",
      triggerType: "6",
      mutations: first.mutations,
    });
    expect(second.mutations.customAttributes).toEqual([{ name: "a", nameFormat: "", values: ["first"] }]);
  });
});

describe("normalizeMutations()", () => {
  it("fills missing lists and copies the claim texts without any __proto__ key", () => {
    const normalized = normalizeMutations({ claims: JSON.parse('{"__proto__": "1", "a": "{\\"__proto__\\": 2}"}') });
    expect(normalized.claims).toEqual({ a: '{"__proto__": 2}' });
    expect(normalized.metadata).toEqual([]);
  });

  it("names the field that does not fit", () => {
    expect(() => normalizeMutations({ ...emptyMutations(), user: { gender: "2" } })).toThrow("mutations.user.gender: must be a number");
    expect(() => normalizeMutations({ metadata: [{ key: "k" }] })).toThrow("mutations.metadata[0].value: must be a string");
    expect(() => normalizeMutations({ claims: { a: 1 } })).toThrow("mutations.claims.a: must be a string");
  });
});

describe("packMutations() and unpackMutations()", () => {
  it("carry claims as JSON text and back, dropping __proto__ keys when they parse", () => {
    const mutations = { ...emptyMutations(), claims: { a: { b: [1, "x"] }, n: null } };
    expect(packMutations(mutations).claims).toEqual({ a: '{"b":[1,"x"]}', n: "null" });
    expect(unpackMutations(packMutations(mutations))).toEqual(mutations);
    const unpacked = unpackMutations({ ...emptyMutations(), claims: { a: '{"__proto__": {"x": 1}}' } });
    expect(Object.keys(unpacked.claims.a as object)).toEqual([]);
  });
});
