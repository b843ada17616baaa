import { afterEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { createTokenStore } from "./token-store.js";

let db: SqlDatabase;
afterEach(() => db.close());

describe("createTokenStore()", () => {
  it("revokes a token once, keeps the first time, and knows no unknown id", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    db = openSqliteDatabase(":memory:");
    const tokens = createTokenStore(db, () => now);
    await tokens.issue({ id: "t1", orgId: "o1", subject: "s", roles: ["ORG_OWNER"] });
    expect(await tokens.revoke("t1")).toBe(true);
    now = new Date("2026-01-02T00:00:00Z");
    expect(await tokens.revoke("t1")).toBe(true);
    expect(await tokens.revoke("nope")).toBe(false);
    expect(await tokens.list()).toMatchObject([{ id: "t1", revokedAt: new Date("2026-01-01T00:00:00Z") }]);
  });

  it("notes when a token was last used, to the minute", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    db = openSqliteDatabase(":memory:");
    const tokens = createTokenStore(db, () => now);
    const secret = await tokens.issue({ id: "t1", orgId: "o1", subject: "s", roles: ["ORG_OWNER"] });
    expect(await tokens.verify(secret)).toMatchObject({ id: "t1", orgId: "o1", roles: ["ORG_OWNER"] });
    now = new Date("2026-01-01T00:00:59Z");
    await tokens.verify(secret);
    expect((await tokens.list())[0]!.lastUsedAt).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(await tokens.verify(`${secret}x`)).toBeUndefined();
  });
});
