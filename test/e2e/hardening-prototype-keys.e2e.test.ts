import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zitadelOrgClaim, zitadelRolesClaim } from "../../src/auth/oidc/index.js";
import { allCallers, type ManagementCaller } from "../support/management-clients.js";
import { type SigningKey, signToken, startOidcTestServer, type TestIssuer } from "../support/oidc-issuer.js";
import type { TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

/** Names every plain object answers for through its prototype. */
const prototypeNames = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];

let issuer: TestIssuer;
let key: SigningKey;
let server: TestServer;
let orgId: string;
let callers: ManagementCaller[];

beforeAll(async () => {
  ({ issuer, key, server, orgId } = await startOidcTestServer());
  callers = allCallers(server.baseUrl, server.target);
});

afterAll(async () => {
  for (const c of callers) c.close();
  await server.close();
  await issuer.close();
});

function tokenWithRoles(roles: unknown): Promise<string> {
  return signToken({
    key,
    issuer: issuer.url,
    audience: "actiond-project",
    subject: "user-7",
    claims: { [zitadelOrgClaim]: orgId, [zitadelRolesClaim]: roles },
  });
}

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: WireError) => e);

describe("role names from an OIDC token", () => {
  it("grant nothing when named like Object.prototype members: PermissionDenied on every protocol, never Internal", async () => {
    for (const name of prototypeNames) {
      const zitadelShape = await tokenWithRoles(Object.fromEntries([[name, { [orgId]: "acme.example.com" }]]));
      expect(Object.keys(decodeJwt(zitadelShape)[zitadelRolesClaim] as object)).toEqual([name]);
      const plainArray = await tokenWithRoles([name]);
      for (const jwt of [zitadelShape, plainArray]) {
        for (const c of callers) {
          const refused = await fail(c.call("listActions", {}, { authorization: `Bearer ${jwt}` }));
          expect(refused, `${c.protocol} ${name}`).toMatchObject({ code: 7, detailIds: ["AUTH-5mWD2"] });
        }
      }
    }
  });

  it("still grant what a real role grants beside them", async () => {
    const roles = Object.fromEntries(["toString", "ORG_OWNER_VIEWER", "__proto__"].map((r) => [r, { [orgId]: "acme.example.com" }]));
    const jwt = await tokenWithRoles(roles);
    for (const c of callers) {
      expect((await c.call("listActions", {}, { authorization: `Bearer ${jwt}` })).details, c.protocol).toBeDefined();
    }
  });

  it("name no org when the org header is named like Object.prototype members", async () => {
    const jwt = await tokenWithRoles({ IAM_OWNER: { [orgId]: "acme.example.com" } });
    for (const name of prototypeNames) {
      const refused = await fail(callers[0]!.call("listActions", {}, { authorization: `Bearer ${jwt}`, orgId: name }));
      expect(refused, name).toMatchObject({ code: 7, detailIds: ["AUTH-Bs7Ds"] });
    }
  });
});

describe("flow and trigger types named like Object.prototype members", () => {
  it("are unknown types on every route that takes one: a client error or an empty flow, never Internal", async () => {
    const headers = { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" };
    for (const name of prototypeNames) {
      const type = encodeURIComponent(name);
      const answers = await Promise.all([
        fetch(`${server.baseUrl}/management/v1/flows/${type}`, { headers }),
        fetch(`${server.baseUrl}/management/v1/flows/${type}/triggers/_search`, { method: "POST", headers }),
        fetch(`${server.baseUrl}/management/v1/flows/${type}/_clear`, { method: "POST", headers }),
        fetch(`${server.baseUrl}/management/v1/flows/2/trigger/${type}`, { method: "POST", headers, body: '{"actionIds":[]}' }),
        fetch(`${server.baseUrl}/v1/flows/${type}/triggers/5/_run`, { method: "POST", headers, body: "{}" }),
        fetch(`${server.baseUrl}/v1/flows/2/triggers/${type}/_run`, { method: "POST", headers, body: "{}" }),
      ]);
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 200 || (s >= 400 && s < 500)), `${name}: ${statuses}`).toBe(true);
    }
  });
});
