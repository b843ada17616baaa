import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caller, otherCaller } from "../../test/support/events.js";
import { jsonTarget, jwtTarget } from "../../test/support/zitadel-target-events.js";
import { listSecrets } from "../query/secret-queries.js";
import { openOrgSecrets } from "../query/secret-values.js";
import { findZitadelTarget } from "../query/zitadel-target-secrets.js";
import { createEventStore } from "../store/event-store.js";
import { checkProjections } from "../store/projection-check.js";
import { aggregatesSealedWithOtherKeys, countSealedByKey } from "../store/sealed-secrets.js";
import { createSecretBox } from "../store/secret-box.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import type { CommandDeps } from "./command-context.js";
import { generateJweKeyPair } from "./jwe-key-pair.js";
import { resealAggregates } from "./reseal-commands.js";
import { removeSecret, setSecret } from "./secret-commands.js";
import { addZitadelTarget, addZitadelTargetKeys, changeZitadelTarget, removeZitadelTargetKey } from "./zitadel-target-commands.js";

const [oldKey, newKey] = [crypto.randomBytes(32), crypto.randomBytes(32)];
const oldBox = createSecretBox(oldKey);
const ring = createSecretBox([newKey, oldKey]);
const newOnly = createSecretBox(newKey);
const signingKeys = ["Kx7fY2pQ9rT4wZ8mN3vB6cD1", "Lm0nB5vC8xZ2qW4eR7tY1uI9", "Qa1sD2fG3hJ4kL5zX6cV7bN8"];

let db: SqlDatabase;
let deps: CommandDeps;

beforeEach(() => {
  db = openSqliteDatabase(":memory:");
  let id = 0;
  deps = { store: createEventStore(db), newId: () => `id-${++id}` };
});
afterEach(() => db.close());

/** Two orgs' secrets (one deleted), a JSON target with a removed key, and a target that became JWE: all sealed with the old key. */
async function sealWithOldKey() {
  const sealing = { ...deps, secrets: oldBox, newKeyPair: generateJweKeyPair };
  await setSecret(sealing, caller, "API_KEY", "first-plain");
  await setSecret(sealing, { ...caller, subject: "user-9" }, "API_KEY", "second-plain");
  await setSecret(sealing, caller, "GONE", "gone-plain");
  await removeSecret(sealing, caller, "GONE");
  await setSecret(sealing, otherCaller, "TOKEN", "other-plain");
  const json = await addZitadelTarget(sealing, "admin", jsonTarget, signingKeys.slice(0, 2));
  await removeZitadelTargetKey(sealing, "admin", json.id, "1");
  const jwe = await addZitadelTarget(sealing, "admin", { ...jwtTarget, name: "jwe" }, []);
  await changeZitadelTarget(sealing, "admin", jwe.id, { payloadType: "jwe" });
  await addZitadelTargetKeys(sealing, "admin", jwe.id, signingKeys.slice(2));
  return { json, jwe };
}

describe("resealAggregates()", () => {
  it("seals every live value again with the sealing key, as resealed events, so the old key can go", async () => {
    const { json, jwe } = await sealWithOldKey();
    const listedBefore = await listSecrets(db, caller.orgId);
    const jweBefore = await findZitadelTarget(db, oldBox, jwe.id);
    const stale = await aggregatesSealedWithOtherKeys(db, ring.keyId);
    expect(stale).toEqual([
      { type: "secret", id: caller.orgId },
      { type: "secret", id: otherCaller.orgId },
      { type: "zitadel_target", id: json.id },
      { type: "zitadel_target", id: jwe.id },
    ]);

    // API_KEY and TOKEN; the JSON target's key 2; the JWE target's private key and key 1.
    expect(await resealAggregates({ ...deps, secrets: ring }, "cli", stale)).toBe(5);
    expect(await countSealedByKey(db)).toEqual(new Map([[ring.keyId, 5]]));
    expect(await openOrgSecrets(db, newOnly, caller.orgId)).toEqual({ API_KEY: "second-plain" });
    expect(await openOrgSecrets(db, newOnly, otherCaller.orgId)).toEqual({ TOKEN: "other-plain" });
    expect((await findZitadelTarget(db, newOnly, json.id))!.signingKeys).toEqual([{ id: "2", key: signingKeys[1] }]);
    expect(await findZitadelTarget(db, newOnly, jwe.id)).toEqual(jweBefore);

    const events = await db.all<{ type: string; payload: string; creator: string }>(
      "SELECT type, payload, creator FROM events WHERE type LIKE '%resealed' ORDER BY position",
    );
    expect(events.map((e) => e.type)).toEqual([
      "secret.resealed",
      "secret.resealed",
      "zitadel_target.key.resealed",
      "zitadel_target.private_key.resealed",
      "zitadel_target.key.resealed",
    ]);
    expect(events.every((e) => e.creator === "cli")).toBe(true);
    const everything = JSON.stringify(await db.all("SELECT * FROM events"));
    for (const plain of ["first-plain", "second-plain", "other-plain", "gone-plain", ...signingKeys]) expect(everything).not.toContain(plain);

    // Nobody changed the secret: who and when stay as they were.
    expect(await listSecrets(db, caller.orgId)).toEqual(listedBefore);
    expect((await checkProjections(db)).differences).toEqual([]);
  });

  it("finds nothing left to do the second time, and reseals only what another key sealed", async () => {
    await sealWithOldKey();
    await resealAggregates({ ...deps, secrets: ring }, "cli", await aggregatesSealedWithOtherKeys(db, ring.keyId));
    expect(await aggregatesSealedWithOtherKeys(db, ring.keyId)).toEqual([]);
    expect(await resealAggregates({ ...deps, secrets: ring }, "cli", [{ type: "secret", id: caller.orgId }])).toBe(0);

    await setSecret({ ...deps, secrets: oldBox }, caller, "LATE", "late-plain");
    expect(await aggregatesSealedWithOtherKeys(db, ring.keyId)).toEqual([{ type: "secret", id: caller.orgId }]);
    expect(await resealAggregates({ ...deps, secrets: ring }, "cli", await aggregatesSealedWithOtherKeys(db, ring.keyId))).toBe(1);
    expect(await openOrgSecrets(db, newOnly, caller.orgId)).toEqual({ API_KEY: "second-plain", LATE: "late-plain" });
  });

  it("changes nothing when a value does not open with any key it holds", async () => {
    await sealWithOldKey();
    const stale = await aggregatesSealedWithOtherKeys(db, newOnly.keyId);
    await expect(resealAggregates({ ...deps, secrets: newOnly }, "cli", stale)).rejects.toThrow(/holds key/);
    expect(await countSealedByKey(db)).toEqual(new Map([[oldBox.keyId, 5]]));
  });
});
