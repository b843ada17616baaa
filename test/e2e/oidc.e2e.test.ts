import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zitadelOrgClaim, zitadelRolesClaim } from "../../src/auth/oidc/index.js";
import { openServedData } from "../support/orgs.js";
import { grpcJsCaller, type ManagementCaller, restCaller } from "../support/management-clients.js";
import { type SigningKey, signToken, startOidcTestServer, type TestIssuer } from "../support/oidc-issuer.js";
import type { TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

let issuer: TestIssuer;
let key: SigningKey;
let server: TestServer;
let orgId: string;
let grpc: ManagementCaller;

beforeAll(async () => {
  ({ issuer, key, server, orgId } = await startOidcTestServer());
  grpc = grpcJsCaller(server.target);
});

afterAll(async () => {
  grpc.close();
  await server.close();
  await issuer.close();
});

/** A ZITADEL-shaped access token for a user of `org` holding `roles` there. */
function zitadelToken(roles: string[], extra: { expiresAt?: number; audience?: string; header?: { alg: string; kid?: string } } = {}) {
  return signToken({
    key,
    issuer: issuer.url,
    audience: extra.audience ?? "actiond-project",
    subject: "user-42",
    expiresAt: extra.expiresAt,
    header: extra.header,
    claims: {
      [zitadelOrgClaim]: orgId,
      [zitadelRolesClaim]: Object.fromEntries(roles.map((r) => [r, { [orgId]: "acme.example.com" }])),
    },
  });
}

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: WireError) => e);

describe("OIDC access tokens through the server", () => {
  it("accepts a ZITADEL access token, acts in its org and records its subject", async () => {
    const jwt = await zitadelToken(["ORG_OWNER"]);
    const { id, details } = await grpc.call("createAction", { name: "oidc_made", script: "function oidc_made() {}" }, { authorization: `Bearer ${jwt}` });
    expect(details?.resourceOwner).toBe(orgId);
    const rest = await restCaller(server.baseUrl).call("getAction", { id }, { authorization: `Bearer ${jwt}` });
    expect(rest.action?.name).toBe("oidc_made");
    const data = await openServedData(server);
    expect(await data.db.get("SELECT creator FROM events WHERE aggregate_id = ?", [id])).toEqual({ creator: "user-42" });
    await data.close();
  });

  it("applies the token's roles", async () => {
    const viewer = await zitadelToken(["ORG_OWNER_VIEWER"]);
    expect((await grpc.call("listActions", {}, { authorization: `Bearer ${viewer}` })).details).toBeDefined();
    const write = await fail(grpc.call("createAction", { name: "nope", script: "x" }, { authorization: `Bearer ${viewer}` }));
    expect(write).toMatchObject({ code: 7, detailIds: ["AUTH-5mWD2"] });
  });

  it("refuses expired, wrong-audience and unsigned tokens as Unauthenticated", async () => {
    const expired = await zitadelToken(["ORG_OWNER"], { expiresAt: Math.floor(Date.now() / 1000) - 3600 });
    const otherAudience = await zitadelToken(["ORG_OWNER"], { audience: "someone-else" });
    const [h, p] = (await zitadelToken(["ORG_OWNER"])).split(".");
    const unsigned = [Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url"), p, ""].join(".");
    for (const jwt of [expired, otherAudience, unsigned, `${h}.${p}.AAAA`]) {
      expect(await fail(grpc.call("listFlowTypes", {}, { authorization: `Bearer ${jwt}` }))).toMatchObject({ code: 16 });
    }
    expect(JSON.stringify(server.logs)).not.toContain(expired);
  });

  it("still accepts service tokens beside OIDC", async () => {
    const { result } = await grpc.call("listFlowTypes", {}, { authorization: `Bearer ${server.adminToken}` });
    expect(result).toHaveLength(4);
  });
});
