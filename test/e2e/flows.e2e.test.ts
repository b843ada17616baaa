import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Each flow and trigger's ctx and api through the real server (TestAction,
 * the worker pool, QuickJS): a script reads the trigger's context and calls
 * the trigger's api, and the execution answers what it changed.
 */
let server: TestServer;
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  server = await startTestServer();
  c = clientsFor(server.baseUrl, server.adminToken);
});
afterAll(() => server.close());

const ada = { id: "u1", username: "ada", loginNames: ["ada@acme"], human: { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.example" } };

async function run(flowType: string, triggerType: string, context: Record<string, unknown>, body: string) {
  const { execution } = await c.execution.testAction({
    name: "probe",
    script: `function probe(ctx, api) {\n${body}\n}`,
    flowType,
    triggerType,
    context: context as never,
  });
  const run = execution!.runs[0]!;
  expect(run.error?.message ?? "", `flow ${flowType} trigger ${triggerType}`).toBe("");
  expect(run.outcome).toBe(Outcome.SUCCEEDED);
  return execution!;
}

describe("ctx and api per flow and trigger", () => {
  it("flow 1 trigger 1 (external post authentication): legacy tokens, externalUser, setters, metadata", async () => {
    const e = await run(
      "1",
      "1",
      { accessToken: "at-1", idTokenClaims: { email: "ada@idp.example" }, externalUser: { externalId: "ext-1", human: { firstName: "Ada" } } },
      `if (ctx.accessToken !== "at-1") throw new Error("accessToken");
       api.setFirstName(ctx.v1.externalUser.human.firstName + "!");
       api.setEmail(ctx.getClaim("email"));
       api.setEmailVerified(true);
       api.v1.user.appendMetadata("idp", { id: ctx.v1.externalUser.externalId });`,
    );
    expect(e.mutations?.user).toMatchObject({ firstName: "Ada!", email: "ada@idp.example", emailVerified: true });
    expect(e.mutations?.metadata).toEqual([expect.objectContaining({ key: "idp", value: '{"id":"ext-1"}' })]);
  });

  for (const flow of ["1", "3"]) {
    it(`flow ${flow} trigger 2 (pre creation): ctx.v1.user and the creation setters`, async () => {
      const e = await run(flow, "2", { user: ada }, `api.setUsername(ctx.v1.user.username + "_new"); api.setGender(1);`);
      expect(e.mutations?.user).toMatchObject({ username: "ada_new", gender: 1 });
    });

    it(`flow ${flow} trigger 3 (post creation): getUser and user grants`, async () => {
      const e = await run(flow, "3", { user: ada }, `api.v1.appendUserGrant({ projectId: "p-" + ctx.v1.getUser().id, roles: ["reader"] });`);
      expect(e.mutations?.userGrants).toEqual([expect.objectContaining({ projectId: "p-u1", roles: ["reader"] })]);
    });
  }

  it("flow 3 trigger 1 (internal post authentication): authMethod and authError", async () => {
    const e = await run("3", "1", { authMethod: "password" }, `api.v1.user.appendMetadata("last", ctx.v1.authMethod + "/" + ctx.v1.authError);`);
    expect(e.mutations?.metadata).toEqual([expect.objectContaining({ key: "last", value: '"password/none"' })]);
  });

  for (const trigger of ["4", "5"]) {
    it(`flow 2 trigger ${trigger} (complement token): claims, user, metadata, grants, client id`, async () => {
      const e = await run(
        "2",
        trigger,
        {
          claims: { sub: "u1" },
          user: ada,
          userMetadata: [{ key: "tier", value: '"gold"' }],
          userGrants: [{ id: "g1", projectId: "p1", roles: ["admin"] }],
          clientId: "client-7",
        },
        `const md = ctx.v1.user.getMetadata().metadata;
         api.v1.claims.setClaim("tier", md[0].value);
         api.v1.claims.setClaim("roles", ctx.v1.user.grants.grants[0].roles);
         api.v1.claims.setClaim("client", ctx.v1.application.getClientId());
         api.v1.claims.setClaim("name", ctx.v1.getUser().human.firstName);
         api.v1.claims.setClaim("urn:zitadel:iam:forbidden", true);
         api.v1.claims.setClaim("sub", "overwritten?");`,
      );
      expect(e.mutations?.claims).toMatchObject({ tier: "gold", roles: ["admin"], client: "client-7", name: "Ada" });
      expect(e.mutations?.claims?.["urn:zitadel:iam:forbidden"]).toBeUndefined();
      expect(e.mutations?.claims?.["urn:zitadel:iam:action:probe:log"]).toEqual(['key "sub" already exists']);
    });
  }

  it("flow 4 trigger 6 (complement SAML response): custom attributes, first set wins", async () => {
    const e = await run(
      "4",
      "6",
      { user: ada },
      `api.v1.attributes.setCustomAttribute("login", "", ctx.v1.getUser().loginNames[0]);
       api.v1.attributes.setCustomAttribute("login", "", "second");`,
    );
    expect(e.mutations?.customAttributes).toEqual([expect.objectContaining({ name: "login", values: ["ada@acme"] })]);
  });
});
