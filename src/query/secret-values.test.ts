import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caller } from "../../test/support/events.js";
import { resealAggregates } from "../command/reseal-commands.js";
import { removeSecret, type SecretDeps, setSecret } from "../command/secret-commands.js";
import type { SecretOpener } from "../domain/secrets.js";
import { createEventStore } from "../store/event-store.js";
import { createSecretBox } from "../store/secret-box.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { openOrgSecrets } from "./secret-values.js";

const oldKey = crypto.randomBytes(32);
const box = createSecretBox(oldKey);
/** Seals with a new key, opens with both: a rotation's keyring. */
const ring = createSecretBox([crypto.randomBytes(32), oldKey]);
let dbs: SqlDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

/** A database with its commands, and an opener that counts what it opens. */
function fixture() {
  const db = openSqliteDatabase(":memory:");
  dbs.push(db);
  let id = 0;
  const deps: SecretDeps = { store: createEventStore(db), newId: () => `id-${++id}`, secrets: box };
  const opened = { count: 0 };
  const opener: SecretOpener = { open: (sealed, binding) => (opened.count++, ring.open(sealed, binding)) };
  return { db, deps, opened, open: () => openOrgSecrets(db, opener, caller.orgId) };
}

describe("openOrgSecrets()", () => {
  let f: ReturnType<typeof fixture>;
  beforeEach(() => {
    f = fixture();
  });

  it("answers the same frozen values while the org's secrets are unchanged, and opens them once", async () => {
    await setSecret(f.deps, caller, "A", "one");
    await setSecret(f.deps, caller, "B", "two");
    const first = await f.open();
    expect(first).toEqual({ A: "one", B: "two" });
    expect(Object.isFrozen(first)).toBe(true);
    expect(await f.open()).toBe(first);
    expect(f.opened.count).toBe(2);
  });

  it("opens them afresh after every set, delete and reseal", async () => {
    await setSecret(f.deps, caller, "A", "one");
    await setSecret(f.deps, caller, "B", "two");
    const seen = [await f.open()];
    // A was set first: deleting it leaves the highest sequence as it was, and the count tells.
    await removeSecret(f.deps, caller, "A");
    seen.push(await f.open());
    await setSecret(f.deps, caller, "A", "three");
    seen.push(await f.open());
    await setSecret(f.deps, caller, "B", "four");
    seen.push(await f.open());
    f.opened.count = 0;
    expect(await resealAggregates({ ...f.deps, secrets: ring }, "cli", [{ type: "secret", id: caller.orgId }])).toBe(2);
    seen.push(await f.open());
    expect(f.opened.count).toBe(2);
    expect(seen.map((s) => ({ ...s }))).toEqual([
      { A: "one", B: "two" },
      { B: "two" },
      { A: "three", B: "two" },
      { A: "three", B: "four" },
      { A: "three", B: "four" },
    ]);
    expect(new Set(seen).size).toBe(5);
  });

  it("keeps each database's values apart, though their orgs have the same id", async () => {
    const other = fixture();
    await setSecret(f.deps, caller, "A", "here");
    await setSecret(other.deps, caller, "A", "there");
    expect([await f.open(), await other.open()]).toEqual([{ A: "here" }, { A: "there" }]);
  });

  it("answers no secrets without a read of values for an org that has none", async () => {
    expect(await f.open()).toEqual({});
    expect(f.opened.count).toBe(0);
  });
});
