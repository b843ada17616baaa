import { afterEach, describe, expect, it } from "vitest";
import { addOrg } from "../command/org-commands.js";
import { createEventStore } from "../store/event-store.js";
import { createIdGenerator } from "../store/id-generator.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { declaredPermission } from "../transport/auth-interceptor.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { createAuthorizer } from "./authorize.js";
import { createTokenStore } from "./token-store.js";

let db: SqlDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function setup() {
  db = openSqliteDatabase(":memory:");
  const commands = { store: createEventStore(db), newId: createIdGenerator() };
  const orgId = await addOrg(commands, "test", "org");
  const tokens = createTokenStore(db);
  const token = await tokens.issue({ id: "t1", orgId, subject: "s", roles: ["IAM_OWNER"] });
  return { authorize: createAuthorizer(db, tokens), orgId, token, tokens };
}

describe("createAuthorizer()", () => {
  it("refuses a method that declares no permission, even for IAM_OWNER", async () => {
    const { authorize, token } = await setup();
    await expect(authorize({ authorization: `Bearer ${token}`, orgId: null, permission: undefined })).rejects.toThrow(
      /declares no permission/,
    );
  });

  it("resolves the caller to the token's org and records the token id as subject", async () => {
    const { authorize, token, orgId } = await setup();
    expect(await authorize({ authorization: `Bearer ${token}`, orgId: null, permission: "org.action.read" })).toEqual({
      orgId,
      subject: "t1",
    });
  });

  it("refuses revoked and expired tokens", async () => {
    const { authorize, token, tokens, orgId } = await setup();
    expect(await tokens.revoke("t1")).toBe(true);
    await expect(authorize({ authorization: `Bearer ${token}`, orgId: null, permission: "org.action.read" })).rejects.toThrow(/Token is invalid/);
    const expired = await tokens.issue({ id: "t2", orgId, subject: "s", roles: ["IAM_OWNER"], expiresAt: new Date(Date.now() - 1) });
    await expect(authorize({ authorization: `Bearer ${expired}`, orgId: null, permission: "org.action.read" })).rejects.toThrow(/Token is invalid/);
  });

  it("refuses roles named like Object.prototype members as PermissionDenied", async () => {
    const { authorize, tokens, orgId } = await setup();
    const roles = ["toString", "constructor", "__proto__", "hasOwnProperty"];
    const token = await tokens.issue({ id: "t3", orgId, subject: "s", roles });
    await expect(authorize({ authorization: `Bearer ${token}`, orgId: null, permission: "org.action.read" })).rejects.toMatchObject({
      code: "PermissionDenied",
    });
  });
});

describe("declaredPermission()", () => {
  it("reads each of the 12 RPCs' permission from the proto", () => {
    const declared = Object.fromEntries(ManagementService.methods.map((m) => [m.name, declaredPermission(m)]));
    expect(Object.values(declared).every((p) => /^org\.(action|flow)\.(read|write|delete)$/.test(p ?? ""))).toBe(true);
    expect(declared).toMatchObject({ DeleteAction: "org.action.delete", ClearFlow: "org.flow.delete", GetFlow: "org.flow.read" });
  });
});
