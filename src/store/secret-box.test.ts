import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, SecretsKeyMismatch, sealedWith } from "./secret-box.js";

const secret = "zitadel-signing-key-6Lq9f3";
const binding = "zitadel_target/1/signing_key/1";

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

describe("a keyring", () => {
  const oldKey = crypto.randomBytes(32);
  const newKey = crypto.randomBytes(32);
  const old = createSecretBox(oldKey);
  const ring = createSecretBox([newKey, oldKey]);

  it("seals with its first key and opens with any of them", () => {
    expect(ring.keyIds).toEqual([createSecretBox(newKey).keyId, old.keyId]);
    expect(ring.keyId).toBe(ring.keyIds[0]);
    expect(sealedWith(ring.seal(secret, binding))).toBe(ring.keyId);
    expect(ring.open(old.seal(secret, binding), binding)).toBe(secret);
    expect(() => old.open(ring.seal(secret, binding), binding)).toThrow(/holds key/);
  });

  it("reseals what another key sealed, and leaves what its own key sealed", () => {
    const resealed = ring.reseal(old.seal(secret, binding), binding)!;
    expect(sealedWith(resealed)).toBe(ring.keyId);
    expect(ring.open(resealed, binding)).toBe(secret);
    expect(ring.reseal(resealed, binding)).toBeUndefined();
    expect(() => ring.reseal(old.seal(secret, binding), "secret/1/OTHER")).toThrow(/altered or moved/);
  });

  it("names every key it holds when none sealed a value", () => {
    const stranger = createSecretBox(crypto.randomBytes(32));
    expect(() => ring.open(stranger.seal(secret, binding), binding)).toThrow(`holds keys ${ring.keyIds.join(", ")}`);
  });

  it("holds at least one key", () => {
    expect(() => createSecretBox([])).toThrow(/at least one key/);
  });
});
