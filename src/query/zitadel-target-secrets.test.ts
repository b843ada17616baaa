import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompactEncrypt, compactDecrypt, importPKCS8, importSPKI } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateJweKeyPair } from "../command/jwe-key-pair.js";
import { addZitadelTarget, type ZitadelTargetDeps } from "../command/zitadel-target-commands.js";
import { jweContentEncryption, jweKeyAlgorithm } from "../domain/zitadel-target.js";
import { createEventStore } from "../store/event-store.js";
import { createIdGenerator } from "../store/id-generator.js";
import { loadSecretBox } from "../store/live-secret-box.js";
import { type SecretBox, SecretsKeyMismatch } from "../store/secret-box.js";
import { openSecretBox } from "../store/sealed-secrets.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { getZitadelTarget, listZitadelTargets } from "./zitadel-target-queries.js";
import { findZitadelTarget } from "./zitadel-target-secrets.js";

const key1 = "JSON-target-key-1-Qw8eR4tY";
const key2 = "JSON-target-key-2-Zx5cV7bN";
const jsonFields = { name: "json", payloadType: "json", orgId: "", issuer: "", failurePolicy: "forward-403" } as const;
const jweFields = { ...jsonFields, name: "jwe", payloadType: "jwe", issuer: "https://zitadel.example.com" } as const;

let dir: string;
let db: SqlDatabase;
let box: SecretBox;
let deps: ZitadelTargetDeps;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-target-secrets-"));
  db = openSqliteDatabase(path.join(dir, "actiond.db"));
  box = await openSecretBox(db, path.join(dir, "secrets.key"));
  deps = { store: createEventStore(db), newId: createIdGenerator(), secrets: box, newKeyPair: generateJweKeyPair };
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every byte SQLite wrote: the database file and its write-ahead log. */
function databaseBytes(): Buffer {
  return Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith("actiond.db")).map((f) => fs.readFileSync(path.join(dir, f))));
}

describe("findZitadelTarget()", () => {
  it("opens a JSON target's signing keys, which no read shows", async () => {
    const { id } = await addZitadelTarget(deps, "test", jsonFields, [key1, key2]);
    expect(await findZitadelTarget(db, box, id)).toEqual({
      id,
      ...jsonFields,
      signingKeys: [
        { id: "1", key: key1 },
        { id: "2", key: key2 },
      ],
      jwePrivateKeyPem: "",
    });
    const reads = JSON.stringify([await getZitadelTarget(db, id), await listZitadelTargets(db, { offset: 0, limit: 10 })]);
    expect(reads).toContain('"id":"2"');
    expect(reads).not.toContain(key1);
    expect(reads).not.toContain(key2);
  });

  it("opens a JWE target's private key, which decrypts what ZITADEL encrypts to the public key the reads show", async () => {
    const { id, publicKeyPem } = await addZitadelTarget(deps, "test", jweFields, []);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const found = (await findZitadelTarget(db, box, id))!;
    const jwe = await new CompactEncrypt(new TextEncoder().encode("signed.jwt.body"))
      .setProtectedHeader({ alg: jweKeyAlgorithm, enc: jweContentEncryption, typ: "JWT", cty: "JWT", kid: "zitadel-key-id" })
      .encrypt(await importSPKI(publicKeyPem, jweKeyAlgorithm));
    const { plaintext } = await compactDecrypt(jwe, await importPKCS8(found.jwePrivateKeyPem, jweKeyAlgorithm));
    expect(new TextDecoder().decode(plaintext)).toBe("signed.jwt.body");
    expect(JSON.stringify(await getZitadelTarget(db, id))).not.toContain("PRIVATE KEY");
  });

  it("is undefined for an unknown target", async () => {
    expect(await findZitadelTarget(db, box, "404")).toBeUndefined();
  });

  it("refuses a key moved to another row", async () => {
    const a = await addZitadelTarget(deps, "test", jsonFields, [key1]);
    const b = await addZitadelTarget(deps, "test", { ...jsonFields, name: "other" }, [key2]);
    await db.run("UPDATE zitadel_target_keys SET sealed_key = (SELECT sealed_key FROM zitadel_target_keys WHERE target_id = ?) WHERE target_id = ?", [
      a.id,
      b.id,
    ]);
    await expect(findZitadelTarget(db, box, b.id)).rejects.toThrow(SecretsKeyMismatch);
  });
});

describe("secrets at rest", () => {
  it("leaves no key in the database files: the events and the read models hold them sealed", async () => {
    const { id } = await addZitadelTarget(deps, "test", jsonFields, [key1, key2]);
    const jwe = await addZitadelTarget(deps, "test", jweFields, [key1]);
    const privatePem = (await findZitadelTarget(db, box, jwe.id))!.jwePrivateKeyPem;
    const privateBody = privatePem.split("\n")[1]!;
    await db.get("PRAGMA wal_checkpoint(PASSIVE)");
    const bytes = databaseBytes();
    expect(bytes.includes(id)).toBe(true);
    for (const secret of [key1, key2, privateBody, "PRIVATE KEY"]) expect(bytes.includes(secret), secret).toBe(false);
  });

  it("refuses another key file at once, naming both keys, and it opens nothing", async () => {
    const { id } = await addZitadelTarget(deps, "test", jsonFields, [key1]);
    const otherFile = path.join(dir, "other.key");
    fs.writeFileSync(otherFile, crypto.randomBytes(32));
    const other = loadSecretBox(otherFile);
    await expect(openSecretBox(db, otherFile)).rejects.toThrow(
      new RegExp(`sealed with secrets key ${box.keyId}, but .*other\\.key holds key ${other.keyId}`),
    );
    await expect(findZitadelTarget(db, other, id)).rejects.toThrow(SecretsKeyMismatch);
  });
});
