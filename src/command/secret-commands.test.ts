import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caller, otherCaller } from "../../test/support/events.js";
import { secretValueBinding } from "../domain/secret.js";
import type { DomainError } from "../domain/errors.js";
import { listSecrets } from "../query/secret-queries.js";
import { openOrgSecrets } from "../query/secret-values.js";
import { createEventStore } from "../store/event-store.js";
import { checkProjections } from "../store/projection-check.js";
import { createSecretBox } from "../store/secret-box.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { removeSecret, type SecretDeps, setSecret } from "./secret-commands.js";

const box = createSecretBox(crypto.randomBytes(32));
let db: SqlDatabase;
let deps: SecretDeps;

beforeEach(() => {
  db = openSqliteDatabase(":memory:");
  let id = 0;
  deps = { store: createEventStore(db), newId: () => `id-${++id}`, secrets: box };
});
afterEach(() => db.close());

async function refusal(call: Promise<unknown>): Promise<Pick<DomainError, "code" | "id">> {
  const { code, id } = (await call.then(() => expect.unreachable("it passed"), (e: DomainError) => e)) as DomainError;
  return { code, id };
}

describe("setSecret() and removeSecret()", () => {
  it("keeps only sealed values in events and projection, bound to org and name; reads show names only", async () => {
    await setSecret(deps, caller, "API_KEY", "v1-plain");
    await setSecret(deps, { ...caller, subject: "user-9" }, "API_KEY", "v2-plain");
    await setSecret(deps, otherCaller, "API_KEY", "foreign-plain");
    const everything = JSON.stringify([await db.all("SELECT * FROM events"), await db.all("SELECT * FROM secrets")]);
    for (const plain of ["v1-plain", "v2-plain", "foreign-plain"]) expect(everything).not.toContain(plain);

    const [listed] = await listSecrets(db, caller.orgId);
    expect(listed).toMatchObject({ name: "API_KEY", createdBy: "user-1", changedBy: "user-9" });
    expect(await openOrgSecrets(db, box, caller.orgId)).toEqual({ API_KEY: "v2-plain" });
    expect(await openOrgSecrets(db, box, otherCaller.orgId)).toEqual({ API_KEY: "foreign-plain" });
    const sealed = (await db.get<{ sealed_value: string }>("SELECT sealed_value FROM secrets WHERE resource_owner = ?", [caller.orgId]))!;
    expect(() => box.open(sealed.sealed_value, secretValueBinding(otherCaller.orgId, "API_KEY"))).toThrow();

    await removeSecret(deps, caller, "API_KEY");
    expect(await listSecrets(db, caller.orgId)).toEqual([]);
    expect(await openOrgSecrets(db, box, caller.orgId)).toEqual({});
    expect((await checkProjections(db)).differences).toEqual([]);
  });

  it("refuses bad names and values, a missing secret, and a 101st, whatever the transport checked", async () => {
    expect(await refusal(setSecret(deps, caller, "lower", "v"))).toEqual({ code: "InvalidArgument", id: "SECRET-name-invalid" });
    expect(await refusal(setSecret(deps, caller, "A", ""))).toEqual({ code: "InvalidArgument", id: "SECRET-value-invalid" });
    expect(await refusal(setSecret(deps, caller, "A", "€".repeat(1366)))).toEqual({ code: "InvalidArgument", id: "SECRET-value-invalid" });
    expect(await refusal(removeSecret(deps, caller, "NOPE"))).toEqual({ code: "NotFound", id: "SECRET-not-found" });
    for (let i = 0; i < 100; i++) await setSecret(deps, caller, `S${i}`, "v");
    expect(await refusal(setSecret(deps, caller, "S100", "v"))).toEqual({ code: "ResourceExhausted", id: "SECRET-too-many" });
    await setSecret(deps, caller, "S0", "replaced");
    await setSecret(deps, otherCaller, "S100", "another org has its own hundred");
  });
});
