import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSecretBox, loadSecretBox, SecretsKeyMismatch } from "./secret-box.js";

const secret = "zitadel-signing-key-6Lq9f3";
const binding = "zitadel_target/1/signing_key/1";

let dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-secrets-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("createSecretBox()", () => {
  const box = createSecretBox(crypto.randomBytes(32));

  it("opens what it sealed under the same binding, and the sealed form shows nothing of the secret", () => {
    const sealed = box.seal(secret, binding);
    expect(box.open(sealed, binding)).toBe(secret);
    expect(sealed).not.toContain(secret);
    expect(Buffer.from(sealed.split(".")[3]!, "base64url").toString("latin1")).not.toContain(secret);
    expect(sealed).toMatch(new RegExp(`^v1\\.${box.keyId}\\.[\\w-]+\\.[\\w-]+$`));
  });

  it("seals the same secret differently each time", () => {
    expect(box.seal(secret, binding)).not.toBe(box.seal(secret, binding));
  });

  it("refuses a value moved to another binding", () => {
    const sealed = box.seal(secret, binding);
    expect(() => box.open(sealed, "zitadel_target/2/signing_key/1")).toThrow(SecretsKeyMismatch);
  });

  it("refuses an altered value", () => {
    const [v, kid, iv, body] = box.seal(secret, binding).split(".");
    const bytes = Buffer.from(body!, "base64url");
    bytes[0]! ^= 1;
    expect(() => box.open([v, kid, iv, bytes.toString("base64url")].join("."), binding)).toThrow(/altered or moved/);
  });

  it("names both keys when a value was sealed under another key", () => {
    const other = createSecretBox(crypto.randomBytes(32));
    expect(other.keyId).not.toBe(box.keyId);
    expect(() => other.open(box.seal(secret, binding), binding)).toThrow(
      new RegExp(`sealed with secrets key ${box.keyId}, but the secrets key file holds key ${other.keyId}`),
    );
  });

  it("takes only 32-byte keys", () => {
    expect(() => createSecretBox(crypto.randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("loadSecretBox()", () => {
  it("creates an owner-only file of 32 random bytes on first use, and uses it after", () => {
    const file = path.join(tempDir(), "nested", "secrets.key");
    const first = loadSecretBox(file);
    expect(fs.statSync(file).size).toBe(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
    const again = loadSecretBox(file);
    expect(again.keyId).toBe(first.keyId);
    expect(again.open(first.seal(secret, binding), binding)).toBe(secret);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["secrets.key"]);
  });

  it("refuses a key file of the wrong length", () => {
    const file = path.join(tempDir(), "secrets.key");
    fs.writeFileSync(file, "too short\n");
    expect(() => loadSecretBox(file)).toThrow(/exactly 32 bytes, this one holds 10/);
  });
});
