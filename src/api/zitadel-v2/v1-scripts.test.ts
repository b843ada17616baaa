import { describe, expect, it } from "vitest";
import { emptyMutations, type JsonObject, type Mutations, type PackedMutations, unpackMutations } from "../../runtime/index.js";
import { run } from "../../../test/support/runtime-harness.js";
import { addHumanUserBody, addHumanUserRequest, ids, oidcPayload, samlPayload } from "../../../test/support/zitadel-v2-payloads.js";
import { v1MutationsToAddHumanUserRequest } from "./add-human-user.js";
import { v2FunctionToV1 } from "./function-context.js";
import { v1MutationsToV2Response } from "./function-answer.js";
import { v2RequestToV1 } from "./request-condition.js";

/**
 * Real v1 scripts, written the way ZITADEL's public v1 examples are, run by
 * the runtime on contexts built from v2 payloads: the mappings are proved on
 * what scripts really produce, not on hand-made mutations.
 */
interface Action {
  name: string;
  script: string;
}

/** Runs the actions in order as a flow does: each sees what the earlier ones changed. */
async function runActions(actions: Action[], trigger: { flowType: string; triggerType: string; context: JsonObject }): Promise<Mutations> {
  let mutations: PackedMutations = emptyMutations();
  for (const action of actions) {
    const result = await run(action.script, { name: action.name, ...trigger, mutations });
    if (result.outcome !== "succeeded") throw new Error(`${action.name} failed: ${result.error?.message}`);
    mutations = result.mutations;
  }
  return unpackMutations(mutations);
}

async function answerFor(payload: JsonObject, actions: Action[]) {
  const converted = v2FunctionToV1(payload);
  if (!converted.ok) throw new Error(converted.message);
  const { function: fn, flowType, triggerType, context } = converted.value;
  return v1MutationsToV2Response(fn, await runActions(actions, { flowType, triggerType, context }));
}

const decode = (value: string) => Buffer.from(value, "base64").toString("utf8");

const addClaim: Action = {
  name: "addClaim",
  script: `function addClaim(ctx, api) {
  api.v1.claims.setClaim('custom_claim', 'added by a v1 action');
}`,
};

const flatRoles: Action = {
  name: "flatRoles",
  script: `function flatRoles(ctx, api) {
  if (ctx.v1.user.grants == undefined || ctx.v1.user.grants.count == 0) {
    return;
  }
  let roles = [];
  ctx.v1.user.grants.grants.forEach(grant => {
    grant.roles.forEach(role => {
      roles.push(grant.projectId + ':' + role + '@' + grant.userGrantResourceOwnerName);
    });
  });
  api.v1.claims.setClaim('my:zitadel:grants', roles);
}`,
};

const metadataFromClaim: Action = {
  name: "metadataFromClaim",
  script: `function metadataFromClaim(ctx, api) {
  api.v1.user.setMetadata('department', ctx.v1.claims.department);
  const tier = ctx.v1.user.getMetadata().metadata.find(m => m.key == 'tier');
  api.v1.user.setMetadata('tier_copy', tier.value);
  api.v1.user.setMetadata('client', { id: ctx.v1.application.getClientId(), user: ctx.v1.getUser().human.firstName });
}`,
};

describe("v1 scripts on a v2 function call", () => {
  it("adds a claim, maps grants to a custom claim, and sets metadata from claims, in order", async () => {
    const answer = await answerFor(oidcPayload(), [addClaim, flatRoles, metadataFromClaim]);
    expect(answer.append_claims).toEqual([
      { key: "custom_claim", value: "added by a v1 action" },
      { key: "my:zitadel:grants", value: [`${ids.project}:admin@ACME`, `${ids.project}:viewer@ACME`] },
    ]);
    expect(answer.append_log_claims).toBeUndefined();
    expect(answer.set_user_metadata?.map((m) => [m.key, decode(m.value)])).toEqual([
      ["department", '"R&D"'],
      ["tier_copy", '{"level":2}'],
      ["client", JSON.stringify({ id: ids.clientId, user: "Minnie" })],
    ]);
  });

  it("stores through v2 exactly the bytes v1 stored: JSON.stringify of the value", async () => {
    const values = ["x", 42, true, null, { a: [1, "é", { b: null }] }, ["<b>&"]];
    const script = `function setAll(ctx, api) {
  ${values.map((v, i) => `api.v1.user.setMetadata('k${i}', ${JSON.stringify(v)});`).join("\n  ")}
}`;
    const answer = await answerFor(oidcPayload("function/preaccesstoken"), [{ name: "setAll", script }]);
    expect(answer.set_user_metadata?.map((m) => decode(m.value))).toEqual(values.map((v) => JSON.stringify(v)));
  });

  it("never sends a reserved claim or a duplicate; the refused duplicates become log lines", async () => {
    const script = `function claims(ctx, api) {
  api.v1.claims.setClaim('urn:zitadel:iam:org:project:roles', 'forged');
  api.v1.userinfo.setClaim('urn:zitadel:iam:user:metadata', 'forged');
  api.v1.claims.setClaim('department', 'overwritten');
  api.v1.claims.setClaim('team', 'blue');
  api.v1.claims.setClaim('team', 'red');
  api.v1.claims.appendLogIntoClaims('done');
}`;
    const second = `function again(ctx, api) {
  api.v1.claims.setClaim('team', 'green');
  api.v1.userinfo.appendLogIntoClaims('second action');
}`;
    const answer = await answerFor(oidcPayload(), [
      { name: "claims", script },
      { name: "again", script: second },
    ]);
    expect(answer.append_claims).toEqual([{ key: "team", value: "blue" }]);
    expect(answer.append_log_claims).toEqual([
      'key "department" already exists',
      'key "team" already exists',
      "done",
      'key "team" already exists',
      "second action",
    ]);
    expect(JSON.stringify(answer)).not.toContain("urn:zitadel:iam");
  });

  it("answers {} when the actions change nothing", async () => {
    const answer = await answerFor(oidcPayload(), [{ name: "noop", script: "function noop(ctx, api) { ctx.v1.getUser(); }" }]);
    expect(answer).toEqual({});
  });

  it("sends SAML custom attributes, the first set of a name winning as in v1", async () => {
    const script = `function samlAttributes(ctx, api) {
  const user = ctx.v1.getUser();
  api.v1.attributes.setCustomAttribute('FirstName', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', user.human.firstName);
  api.v1.attributes.setCustomAttribute('Roles', '', ...ctx.v1.user.grants.grants[0].roles);
  api.v1.attributes.setCustomAttribute('FirstName', '', 'ignored');
  api.v1.user.setMetadata('saml_login', user.loginNames[0]);
}`;
    const answer = await answerFor(samlPayload(), [{ name: "samlAttributes", script }]);
    expect(answer).toEqual({
      append_attribute: [
        { name: "FirstName", name_format: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", value: ["Minnie"] },
        { name: "Roles", name_format: "", value: ["admin", "viewer"] },
      ],
      set_user_metadata: [{ key: "saml_login", value: Buffer.from('"minnie@acme.localhost"').toString("base64") }],
    });
  });

  it("shows a SAML script no user metadata and no org metadata, which v2 does not send", async () => {
    const script = `function counts(ctx, api) {
  api.v1.user.setMetadata('counts', [ctx.v1.user.getMetadata().count, ctx.v1.org.getMetadata().count]);
}`;
    const answer = await answerFor(samlPayload(), [{ name: "counts", script }]);
    expect(decode(answer.set_user_metadata?.[0]?.value ?? "")).toBe("[0,0]");
  });
});

describe("v1 Pre Creation on AddHumanUser", () => {
  async function preCreation(body: JsonObject, actions: Action[]) {
    const converted = v2RequestToV1(body);
    if (!converted.ok || converted.value.kind !== "pre-creation") throw new Error("not a pre-creation run");
    const { flowType, triggerType, context, request } = converted.value;
    return { flowType, ...v1MutationsToAddHumanUserRequest(request, await runActions(actions, { flowType, triggerType, context })) };
  }

  const setters: Action = {
    name: "completeProfile",
    script: `function completeProfile(ctx, api) {
  const user = ctx.v1.user;
  api.setFirstName(user.human.firstName.toUpperCase());
  api.setLastName('Maus');
  api.setNickName('mini');
  api.setDisplayName(user.human.firstName + ' M.');
  api.setPreferredLanguage('de-ch');
  api.setGender(3);
  api.setUsername(user.username + '.acme');
  api.setEmail('minnie@acme.test');
  api.setEmailVerified(true);
  api.setPhone('+41790000000');
  api.setPhoneVerified(true);
  api.v1.user.appendMetadata('signup', { via: 'v2', at: user.human.email });
}`,
  };

  it("applies every setter and appends metadata, keeping fields actiond does not know", async () => {
    const { flowType, request, notApplied } = await preCreation(addHumanUserBody(), [setters]);
    expect(flowType).toBe("3");
    expect(notApplied).toEqual([]);
    const original = addHumanUserRequest();
    expect(request).toEqual({
      ...original,
      username: "minnie.acme",
      profile: { givenName: "MINNIE", familyName: "Maus", nickName: "mini", displayName: "Minnie M.", preferredLanguage: "de-CH", gender: "GENDER_DIVERSE" },
      email: { email: "minnie@acme.test", isVerified: true },
      phone: { phone: "+41790000000", isVerified: true },
      metadata: [...(original.metadata as JsonObject[]), { key: "signup", value: Buffer.from(JSON.stringify({ via: "v2", at: "minnie@mouse.com" })).toString("base64") }],
    });
  });

  it("runs External Authentication's Pre Creation when the request links an IdP", async () => {
    const withLink: JsonObject = { ...addHumanUserRequest(), idpLinks: [{ idpId: "idp1", userId: "ext-42", userName: "minnie@idp" }] };
    const script = `function fromIdp(ctx, api) { api.setNickName('from idp'); }`;
    const { flowType, request } = await preCreation(addHumanUserBody(withLink), [{ name: "fromIdp", script }]);
    expect(flowType).toBe("1");
    expect(request).toEqual({ ...withLink, profile: { ...(withLink.profile as JsonObject), nickName: "from idp" } });
  });

  it("answers the request unchanged when the actions change nothing", async () => {
    const { request } = await preCreation(addHumanUserBody(), [{ name: "noop", script: "function noop(ctx, api) {}" }]);
    expect(request).toEqual(addHumanUserRequest());
  });
});
