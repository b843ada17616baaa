import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type KeyFileReload, loadSecretBox } from "./live-secret-box.js";
import { createSecretBox, sealedWith } from "./secret-box.js";

const secret = "zitadel-signing-key-6Lq9f3";
const binding = "zitadel_target/1/signing_key/1";

let dirs: string[] = [];
const keyFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-secrets-"));
  dirs.push(dir);
  return path.join(dir, "secrets.key");
};
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Replaces the file whole, as `actiond secrets-key` does. */
function replace(file: string, keys: Buffer[]): void {
  fs.writeFileSync(`${file}.new`, Buffer.concat(keys), { mode: 0o600 });
  fs.renameSync(`${file}.new`, file);
}

describe("loadSecretBox()", () => {
  it("creates an owner-only file of 32 random bytes on first use, and uses it after", () => {
    const file = path.join(path.dirname(keyFile()), "nested", "secrets.key");
    const first = loadSecretBox(file);
    expect(fs.statSync(file).size).toBe(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
    const again = loadSecretBox(file);
    expect(again.keyId).toBe(first.keyId);
    expect(again.open(first.seal(secret, binding), binding)).toBe(secret);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["secrets.key"]);
  });

  it("refuses a key file whose length is not a whole number of keys", () => {
    const file = keyFile();
    fs.writeFileSync(file, "too short\n");
    expect(() => loadSecretBox(file)).toThrow(/1 to 8 keys of 32 bytes, this one holds 10 bytes/);
    fs.writeFileSync(file, Buffer.alloc(9 * 32));
    expect(() => loadSecretBox(file)).toThrow(/this one holds 288 bytes/);
  });

  it("opens with every key of a file of several, and seals with the first", () => {
    const file = keyFile();
    const [a, b] = [crypto.randomBytes(32), crypto.randomBytes(32)];
    fs.writeFileSync(file, Buffer.concat([a, b]));
    const box = loadSecretBox(file);
    expect(box.keyIds).toEqual([createSecretBox(a).keyId, createSecretBox(b).keyId]);
    expect(box.open(createSecretBox(b).seal(secret, binding), binding)).toBe(secret);
    expect(sealedWith(box.seal(secret, binding))).toBe(createSecretBox(a).keyId);
  });

  it("follows the file: seals with a new first key, and opens a value sealed with a key added since", () => {
    const file = keyFile();
    const reloads: KeyFileReload[] = [];
    const box = loadSecretBox(file, (r) => reloads.push(r));
    const oldKey = fs.readFileSync(file);
    const sealedBefore = box.seal(secret, binding);
    const newKey = crypto.randomBytes(32);
    const newBox = createSecretBox(newKey);

    replace(file, [oldKey, newKey]);
    expect(box.open(newBox.seal(secret, binding), binding)).toBe(secret);
    expect(reloads).toEqual([{ keyIds: [box.keyIds[0], newBox.keyId] }]);

    replace(file, [newKey, oldKey]);
    expect(sealedWith(box.seal(secret, binding))).toBe(newBox.keyId);
    expect(box.keyId).toBe(newBox.keyId);
    expect(box.open(sealedBefore, binding)).toBe(secret);
    expect(reloads).toHaveLength(2);
  });

  it("keeps the keys it holds when the changed file does not load, and says so once", () => {
    const file = keyFile();
    const reloads: KeyFileReload[] = [];
    const box = loadSecretBox(file, (r) => reloads.push(r));
    const keyId = box.keyId;
    fs.writeFileSync(file, "broken");
    const sealed = box.seal(secret, binding);
    box.seal(secret, binding);
    expect(sealedWith(sealed)).toBe(keyId);
    expect(box.open(sealed, binding)).toBe(secret);
    expect(reloads).toHaveLength(1);
    expect("error" in reloads[0]! && reloads[0].error.message).toMatch(/this one holds 6 bytes/);
    fs.rmSync(file);
    expect(box.reload()).toMatchObject({ error: { message: expect.stringMatching(/does not exist/) } });
    expect(box.keyId).toBe(keyId);
  });

  it("reads the file again on reload even when nothing seals", () => {
    const file = keyFile();
    const box = loadSecretBox(file);
    const newKey = crypto.randomBytes(32);
    replace(file, [newKey, fs.readFileSync(file)]);
    expect(box.reload()).toEqual({ keyIds: [createSecretBox(newKey).keyId, expect.any(String)] });
    expect(box.keyId).toBe(createSecretBox(newKey).keyId);
  });

  it("follows a key file behind a symlink that is swapped, as a mounted Kubernetes secret is", () => {
    const dir = path.dirname(keyFile());
    const [a, b] = [crypto.randomBytes(32), crypto.randomBytes(32)];
    fs.mkdirSync(path.join(dir, "v1"));
    fs.mkdirSync(path.join(dir, "v2"));
    fs.writeFileSync(path.join(dir, "v1", "secrets.key"), a);
    fs.writeFileSync(path.join(dir, "v2", "secrets.key"), Buffer.concat([b, a]));
    fs.symlinkSync("v1", path.join(dir, "data"));
    const box = loadSecretBox(path.join(dir, "data", "secrets.key"));
    expect(box.keyId).toBe(createSecretBox(a).keyId);
    fs.symlinkSync("v2", path.join(dir, "data.new"));
    fs.renameSync(path.join(dir, "data.new"), path.join(dir, "data"));
    expect(sealedWith(box.seal(secret, binding))).toBe(createSecretBox(b).keyId);
  });
});
